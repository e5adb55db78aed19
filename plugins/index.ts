import type { ModePlugin } from '../src/contract.js';
import { gre } from './gre/index.js';
import { gretap, ip6gretap } from './gretap/index.js';
import { ip6gre } from './ip6gre/index.js';
import { ip6ip6, ip6tnl, ipip6 } from './ip6tnl/index.js';
import { ipip } from './ipip/index.js';
import { isatap } from './isatap/index.js';
import { sit } from './sit/index.js';
import { vti } from './vti/index.js';
import { vti6 } from './vti6/index.js';

/** The modes that ship with tungen; the core receives them as a list and names none. */
export const builtinModes: readonly ModePlugin[] = [
  gre,
  ipip,
  sit,
  isatap,
  vti,
  ip6gre,
  gretap,
  ip6gretap,
  ip6ip6,
  ipip6,
  ip6tnl,
  vti6,
];
