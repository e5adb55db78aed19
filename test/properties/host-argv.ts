/**
 * How the programs that apply, verify and try run read the argv tungen gives them:
 * where an interface name stands, and whether each word before it is an option, a
 * keyword or its value. `ip` is read with the iproute2 grammar; ifup, ifdown,
 * ifquery, networkctl, ping and modprobe parse their options with getopt, which
 * takes any word starting with '-' for an option until `--`, wherever it stands
 * (GNU getopt moves the other words aside), and takes the word after an option
 * that has a value as that value, whatever it looks like.
 */
import { isIP } from 'node:net';
import { devicePosition, parseIp } from '../support/iproute2-grammar.js';

/** An argv as its program reads it: the interface names it was given, by position in argv. */
export interface ReadArgv {
  names: Array<{ index: number; word: string }>;
}

/** An argv its program would refuse, or read otherwise than tungen means it. */
export class ArgvReadError extends Error {}

/** Options that take the next word as their value, per program; every other option is a flag. */
const withValue: Record<string, readonly string[]> = {
  ifupdown: ['-i', '--interfaces', '-X', '--exclude', '-o', '--state-dir'],
  networkctl: ['-n', '--lines', '--json'],
  ping: ['-c', '-W', '-I', '-w', '-i', '-s', '-t', '-p', '-Q', '-S', '-l', '-M', '-F', '-m', '-T'],
  modprobe: ['-C', '--config', '-d', '--dirname', '-S', '--set-version'],
};

interface Getopt {
  /** Index in argv of each option, with the index of its value. */
  options: Array<{ option: string; index: number; value?: number }>;
  /** Indexes in argv of the words that are no option nor an option's value. */
  operands: number[];
  /** Index in argv of the `--` that ends the options, if any. */
  end?: number;
}

function getopt(argv: readonly string[], program: keyof typeof withValue): Getopt {
  const read: Getopt = { options: [], operands: [] };
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (read.end !== undefined || word === '-' || !word.startsWith('-')) read.operands.push(i);
    else if (word === '--') read.end = i;
    else if (withValue[program]!.includes(word)) {
      if (i + 1 >= argv.length) throw new ArgvReadError(`${argv[0]}: option ${word} needs a value`);
      read.options.push({ option: word, index: i, value: ++i });
    } else read.options.push({ option: word, index: i });
  }
  return read;
}

/** Operands that name interfaces must come after `--`, or a name like `-a` would be an option. */
function afterEnd(argv: readonly string[], read: Getopt, operands: readonly number[]): ReadArgv['names'] {
  for (const index of operands)
    if (read.end === undefined || index < read.end)
      throw new ArgvReadError(`${argv[0]} gets the name ${JSON.stringify(argv[index])} without "--" before it`);
  return operands.map((index) => ({ index, word: argv[index]! }));
}

const verbs: Record<string, 'none' | 'names'> = { reload: 'none', delete: 'names' };

/** Reads `argv` as its program would; throws ArgvReadError for a program or form the property does not know. */
export function readArgv(argv: readonly string[]): ReadArgv {
  const program = argv[0];
  switch (program) {
    case 'ip': {
      const command = parseIp(argv.slice(1));
      const at = devicePosition(command);
      return { names: at === undefined ? [] : [{ index: at + 1, word: argv[at + 1]! }] };
    }
    case 'ifup':
    case 'ifdown':
    case 'ifquery': {
      const read = getopt(argv, 'ifupdown');
      return { names: afterEnd(argv, read, read.operands) };
    }
    case 'networkctl': {
      const read = getopt(argv, 'networkctl');
      const [verb, ...rest] = read.operands;
      const takes = verb === undefined ? undefined : verbs[argv[verb]!];
      if (takes === undefined)
        throw new ArgvReadError(`networkctl verb ${String(verb && argv[verb])} is not known here`);
      if (read.end !== undefined && verb! > read.end) throw new ArgvReadError('networkctl gets its verb after "--"');
      if (takes === 'none' && rest.length) throw new ArgvReadError(`networkctl ${argv[verb!]} takes no names`);
      return { names: afterEnd(argv, read, rest) };
    }
    case 'ping': {
      const read = getopt(argv, 'ping');
      const [destination, ...more] = read.operands;
      if (destination === undefined || more.length || !isIP(argv[destination]!))
        throw new ArgvReadError(`ping gets ${read.operands.map((i) => argv[i]).join(' ')}, not one address to ping`);
      const device = read.options.filter((o) => o.option === '-I');
      return { names: device.map((o) => ({ index: o.value!, word: argv[o.value!]! })) };
    }
    case 'modprobe': {
      const read = getopt(argv, 'modprobe');
      if (read.operands.length !== 1) throw new ArgvReadError('modprobe gets one module per command');
      return { names: [] };
    }
    default:
      throw new ArgvReadError(`${String(program)} is a program the property does not know`);
  }
}
