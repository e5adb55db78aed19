import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { underRoot, type HostContext } from './context.js';

const interfacesFile = '/etc/network/interfaces';

/** A shell-style glob (as ifupdown's `source` takes) as a regular expression for whole paths. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/**
 * Whether the interfaces file includes files of `dir` named like `sample`,
 * through `source GLOB` (Debian's default is `source /etc/network/interfaces.d/*`)
 * or `source-directory DIR`. Relative paths are taken from /etc/network.
 */
export function sourcesFolder(interfaces: string, dir: string, sample: string): boolean {
  const target = posix.join(dir, sample);
  return interfaces.split('\n').some((line) => {
    const [keyword, path] = line.trim().split(/\s+/);
    if (path === undefined) return false;
    const absolute = posix.resolve(posix.dirname(interfacesFile), path);
    if (keyword === 'source') return globToRegExp(absolute).test(target);
    if (keyword === 'source-directory') return posix.normalize(`${absolute}/`) === posix.normalize(`${dir}/`);
    return false;
  });
}

/** Why ifup would not see the generated stanzas, or undefined when it will. */
export async function sourcingProblem(context: HostContext, dir: string, sample: string): Promise<string | undefined> {
  const path = underRoot(context, interfacesFile);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const advice = `add the line "source ${dir}/*" (what Debian ships) to ${path}; tungen does not edit files it did not generate`;
  if (text === undefined) return `${path} does not exist, so ifup would not see tungen's stanzas in ${dir}: ${advice}`;
  if (sourcesFolder(text, dir, sample)) return undefined;
  return `${path} has no "source" or "source-directory" line covering ${dir}, so ifup would not see tungen's stanzas: ${advice}`;
}
