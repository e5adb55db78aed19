import { describe, expect, it } from 'vitest';
import { bench, faults, trial, type TrialOutcome } from './fault-injection.js';

describe('apply with networkd, failed or killed at every step', () => {
  it('converges on the next run, whatever step failed or was killed', async () => {
    const b = await bench('networkd');
    const { list, record } = await faults(b);
    // The clean run's calls: reads, staging, renames, removals, syncs and every command.
    expect(record.fs.some((c) => c.startsWith('fs rename '))).toBe(true);
    expect(record.fs.some((c) => c.startsWith('fs unlink '))).toBe(true);
    expect(record.commands.some((c) => c.startsWith('command modprobe '))).toBe(true);
    const tally = new Map<string, number>();
    for (const fault of list) {
      const call = (fault.kind === 'fs' ? record.fs : record.commands)[fault.at - 1]!;
      let outcome: TrialOutcome;
      try {
        outcome = await trial(b, fault);
      } catch (error) {
        throw new Error(`${fault.mode} at ${call} (#${fault.at}): ${(error as Error).message}`);
      }
      const key = `${fault.kind} ${fault.mode} -> ${outcome.first}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    if (process.env['TUNGEN_FAULT_REPORT'])
      console.log(
        `networkd: ${list.length} trials (${record.fs.length} file-system calls, ${record.commands.length} commands)`,
        Object.fromEntries([...tally].sort()),
      );
    // A failure must never pass for success: every injected failure of a changing step is reported.
    expect([...tally.keys()].filter((k) => k.startsWith('fs fail') && k.endsWith('-> ok'))).toEqual([]);
  }, 120_000);
});
