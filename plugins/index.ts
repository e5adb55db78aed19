import type { ModePlugin } from '../src/contract.js';
import { gre } from './gre/index.js';
import { ipip } from './ipip/index.js';
import { isatap } from './isatap/index.js';
import { sit } from './sit/index.js';
import { vti } from './vti/index.js';

/** The modes that ship with tungen; the core receives them as a list and names none. */
export const builtinModes: readonly ModePlugin[] = [gre, ipip, sit, isatap, vti];
