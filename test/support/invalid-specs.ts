/**
 * Tables of invalid specs about one topic (test/invalid/<topic>.test.ts), run
 * by the ModeTester whatever modes they use, and checked against the real
 * binary once per table.
 */
import { ModeTester, type InvalidCase } from 'tungen/testing';
import { tungen } from './run-cli.js';

export function runInvalidSpecs(topic: string, cases: InvalidCase[]): void {
  new ModeTester({ binary: tungen }).runInvalid(topic, cases);
}
