import type { Activation } from './activation.js';
import { ifupdownActivation } from './activate-ifupdown.js';
import { networkdActivation } from './activate-networkd.js';

const activations: Readonly<Record<string, Activation>> = {
  networkd: networkdActivation,
  ifupdown: ifupdownActivation,
};

export function activationOf(target: string): Activation {
  const activation = activations[target];
  if (!activation) throw new Error(`tungen cannot activate target ${JSON.stringify(target)}`);
  return activation;
}
