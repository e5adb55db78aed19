/** What the commands share: how they receive the top-level options and hand back an exit code, and common options. */
import { Option } from 'commander';
import { targetNames } from '../targets/index.js';

/** What main gives each command when registering it. */
export interface CliContext {
  /** The top-level --config, read when the command runs. */
  config: () => string | undefined;
  /** Hands the command's exit code back to main, which returns it. */
  finish: (code: number) => void;
}

/** --target, one of the targets (commander refuses anything else, as a usage error). */
export function targetOption(description = 'output format', { mandatory = true } = {}): Option {
  return new Option('-t, --target <target>', description).choices(targetNames).makeOptionMandatory(mandatory);
}

const hostHelp =
  'the spec host this machine is (default: the host named like this machine, or whose underlay address is configured here)';

/** --host for the commands that act on this machine. */
export function thisHostOption(): Option {
  return new Option('-H, --host <name>', hostHelp);
}

/** What the commands that change this machine (apply, try) share, as commander parses it. */
export interface ChangeThisHostOptions {
  host?: string;
  root: string;
  json?: boolean;
}

/** The option block of the commands that change this machine: --target as the command needs it, --host, --root. */
export function changeThisHostOptions(target: Option): Option[] {
  return [target, thisHostOption(), rootOption()];
}

/** --root for the commands that write this machine's files. */
function rootOption(): Option {
  return new Option(
    '--root <dir>',
    'folder standing for / when reading and writing files and the lock; commands still act on this machine',
  ).default('/');
}
