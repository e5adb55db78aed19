import { ifupdown } from './ifupdown.js';
import { networkd } from './networkd.js';
import type { Target } from './target.js';

export type { FilePlan, Target } from './target.js';

export const targets: Readonly<Record<string, Target>> = { networkd, ifupdown };
export const targetNames = Object.keys(targets);
