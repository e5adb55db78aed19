import { describe, it } from 'vitest';
import { convergesAtEveryStep } from './fault-injection.js';

// One file per target, so the two suites run in parallel workers.
describe('apply with networkd, failed or killed at every step', () => {
  it('converges on the next run, whatever step failed or was killed', () => convergesAtEveryStep('networkd'), 120_000);
});
