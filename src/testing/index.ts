/**
 * tungen/testing: the ModeTester, for the authors of mode plugins and for
 * tungen's own modes. Tables of valid specs with the files they must produce
 * and of invalid specs with every problem they must report; besides comparing,
 * the tester checks what every mode must get right (see ModeTester).
 */
export {
  dedent,
  ModeTester,
  problemLine,
  type Cases,
  type ExpectedProblem,
  type Files,
  type InvalidCase,
  type ModeTesterOptions,
  type ValidCase,
} from './mode-tester.js';
export type { CliRun } from './in-process.js';
