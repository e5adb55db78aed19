import { quote } from '../diagnostics.js';

/**
 * The last guard before a template: every value that lands in a generated file
 * must be a plain token. Validation refuses bad input long before this; this
 * catches a plugin that hands over something unchecked.
 */
const safeValue = /^[A-Za-z0-9_.:/@+-]*$/;
const safeKey = /^[A-Za-z][A-Za-z0-9-]*$/;

class UnsafeValueError extends Error {
  constructor(where: string, value: unknown) {
    super(`refusing to render ${quote(value)} at ${where}: not a plain token`);
    this.name = 'UnsafeValueError';
  }
}

export function isSafeValue(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'boolean') return true;
  return typeof value === 'string' && safeValue.test(value) && !value.includes('..');
}

export function assertSafeValue(value: unknown, where: string): void {
  if (!isSafeValue(value)) throw new UnsafeValueError(where, value);
}

export const isSafeKey = (key: string): boolean => safeKey.test(key);

export function assertSafeKey(key: string, where: string): void {
  if (!isSafeKey(key)) throw new UnsafeValueError(where, key);
}

/** A file path shown in a comment: anything but plain characters becomes '?', so it cannot end the line. */
export function commentSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
