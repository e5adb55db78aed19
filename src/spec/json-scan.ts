import type { CoreRule } from '../rules.js';
import { quote } from '../diagnostics.js';
import { dataLimits } from './data.js';

/**
 * One pass over JSON text that JSON.parse accepted, for what JSON.parse does
 * not say: a key written twice in one object (JSON.parse keeps the last one
 * silently) and nesting deeper than a spec can need. Linear in the text; it
 * only decodes keys.
 */
export function jsonStructureProblem(
  source: string,
): { rule: CoreRule; message: string; at: { line: number; column: number } } | undefined {
  // One entry per open list (null) or mapping (its keys so far).
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= dataLimits.maxDepth) {
        return {
          rule: 'spec/limit',
          message: `lists and mappings nested more than ${dataLimits.maxDepth} levels deep`,
          at: position(source, i),
        };
      }
      stack.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack.at(-1) !== null && stack.length > 0;
    } else if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < source.length; i++) {
        const d = source.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      const keys = stack.at(-1);
      if (expectKey && keys) {
        const key = JSON.parse(source.slice(start, i + 1)) as string;
        if (keys.has(key)) {
          return {
            rule: 'spec/syntax',
            message: `syntax error: duplicated mapping key ${quote(key)}`,
            at: position(source, start),
          };
        }
        keys.add(key);
        expectKey = false;
      }
    }
  }
  return undefined;
}

function position(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
