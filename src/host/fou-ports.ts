import type { HostContext } from './context.js';

/**
 * UDP receive ports (`ip fou`): what the kernel has and how to change it. A
 * port makes no link, so the link-by-link comparison never sees one; each
 * activation finds the ports in its own files and uses these to converge.
 */

/** What a receive port hands its packets to, as `ip fou add` takes it after the port: `ipproto N` or `gue`. */
export type FouReceiver = string;

/** The receive ports the kernel has, by port number. Without the fou module there are none. */
export async function kernelFouPorts(context: HostContext): Promise<Map<number, FouReceiver>> {
  const result = await context.runner.run(['ip', '-json', 'fou', 'show']);
  const ports = new Map<number, FouReceiver>();
  if (result.code !== 0) return ports;
  let entries: unknown;
  try {
    entries = JSON.parse(result.stdout || '[]');
  } catch {
    return ports;
  }
  if (!Array.isArray(entries)) return ports;
  for (const entry of entries as Array<{ port?: unknown; ipproto?: unknown }>) {
    if (typeof entry.port !== 'number') continue;
    ports.set(entry.port, typeof entry.ipproto === 'number' ? `ipproto ${entry.ipproto}` : 'gue');
  }
  return ports;
}

export const fouAdd = (port: number, receiver: FouReceiver): string[] => [
  'ip',
  'fou',
  'add',
  'port',
  String(port),
  ...receiver.split(' '),
];

export const fouDel = (port: number): string[] => ['ip', 'fou', 'del', 'port', String(port)];
