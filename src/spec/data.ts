import type { SpecPath } from '../contract.js';

/** Bounds on what a parsed spec may grow into; a real spec stays far below each. */
export const dataLimits = {
  /** Levels of lists and mappings (a spec needs about 6). */
  maxDepth: 64,
  /** Values that aliases (or shared objects of a JS config) add on top of what is written out. */
  maxAliasValues: 10_000,
} as const;

export interface DataProblem {
  kind: 'depth' | 'aliases' | 'cycle';
  message: string;
  path: SpecPath;
}

/**
 * A mapping with no prototype, so no key reads through Object.prototype. Object.create(null)
 * gives one V8 keeps as a hash table (slow to fill and to read by name, and every later step
 * reads spec mappings by name); an empty object whose prototype is then taken away keeps
 * V8's fast properties, and mappings with the same keys share one layout.
 */
export const emptyRecord = (): Record<string, unknown> => Object.setPrototypeOf({}, null) as Record<string, unknown>;

/**
 * Copies parsed spec data into plain data: every mapping a null-prototype
 * object, so no key of the spec can be read through Object.prototype
 * (`constructor`, `toString`, `__proto__` are just keys). On the way it bounds
 * the work any later step can do: nesting depth, and what aliases expand to.
 * A YAML alias is the same object seen again, so an alias bomb of 9 levels is
 * refused after a few thousand values instead of being walked 387 million times.
 */
export function asData(value: unknown): { data: unknown } | { problem: DataProblem } {
  const sizes = new Map<object, number>();
  const copies = new Map<object, unknown>();
  const open = new Set<object>();
  let aliasValues = 0;
  const path: Array<string | number> = [];

  class Refused extends Error {
    constructor(readonly problem: DataProblem) {
      super(problem.message);
    }
  }

  /** Copies `item`; returns the copy and counts its values in sizes. */
  function copy(item: unknown, depth: number): unknown {
    if (item === null || typeof item !== 'object') return item;
    if (open.has(item)) {
      throw new Refused({
        kind: 'cycle',
        message: 'this value contains itself; a spec must be a tree',
        path: [...path],
      });
    }
    const done = sizes.get(item);
    if (done !== undefined) {
      aliasValues += done;
      if (aliasValues > dataLimits.maxAliasValues) {
        throw new Refused({
          kind: 'aliases',
          message: `aliases expand to more than ${dataLimits.maxAliasValues} values; a spec may repeat values through aliases only up to that`,
          path: [...path],
        });
      }
      return copies.get(item);
    }
    if (depth >= dataLimits.maxDepth) {
      throw new Refused({
        kind: 'depth',
        message: `lists and mappings nested more than ${dataLimits.maxDepth} levels deep`,
        path: [...path],
      });
    }
    open.add(item);
    let size = 1;
    let result: unknown;
    if (Array.isArray(item)) {
      const list: unknown[] = new Array<unknown>(item.length);
      for (let i = 0; i < item.length; i++) {
        path.push(i);
        list[i] = copy(item[i], depth + 1);
        size += sizes.get(item[i] as object) ?? 1;
        path.pop();
      }
      result = list;
    } else if (isPlainRecord(item)) {
      const map = emptyRecord();
      for (const key of Object.keys(item)) {
        const child = (item as Record<string, unknown>)[key];
        path.push(key);
        // Without a prototype there is no __proto__ setter: "__proto__" is a key like any other.
        map[key] = copy(child, depth + 1);
        size += sizes.get(child as object) ?? 1;
        path.pop();
      }
      result = map;
    } else {
      // A Date, a function's result or a class instance from a JS config: the schema refuses it as it is.
      result = item;
    }
    open.delete(item);
    sizes.set(item, size);
    copies.set(item, result);
    return result;
  }

  try {
    return { data: copy(value, 0) };
  } catch (error) {
    if (error instanceof Refused) return { problem: error.problem };
    throw error;
  }
}

function isPlainRecord(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
