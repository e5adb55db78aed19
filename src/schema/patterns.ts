/**
 * Value shapes shared by the base schema and the plugins. Every string that
 * can reach a generated file is constrained here to characters that cannot
 * start a new line, section or key in any target.
 */
import type { JsonSchema } from '../contract.js';

const octet = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const ipv4Pattern = `^${octet}(\\.${octet}){3}$`;

/** Loose shape only; the semantic checks parse the address for real. */
const ipChars = '[0-9A-Fa-f:.]{2,45}';

export const ipv4Schema: JsonSchema = {
  type: 'string',
  pattern: ipv4Pattern,
  'x-expect': 'an IPv4 address such as 10.9.29.68',
};

/** Outer addresses: IPv4 now; IPv6 parses so the checks can say which modes will take it. */
export const outerAddressSchema: JsonSchema = {
  type: 'string',
  pattern: `^${ipChars}$`,
  'x-expect': 'an IP address such as 10.9.29.68',
};

export const cidrSchema: JsonSchema = {
  type: 'string',
  pattern: `^${ipChars}/[0-9]{1,3}$`,
  'x-expect': 'ADDRESS/PREFIX such as 192.168.10.1/24 or fd00::1/64',
};

export const ipSchema: JsonSchema = {
  type: 'string',
  pattern: `^${ipChars}$`,
  'x-expect': 'an IP address without prefix',
};

/** Linux accepts more, but these are the names every target and file system handles safely. */
export const interfaceNameSchema: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,15}$',
  'x-expect': "an interface name: 1-15 letters, digits, '_' or '-'",
};

/** Host names become folder names under --out, so no '/' and no leading dot. */
export const hostNameSchema: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$',
  'x-expect': "a host name: letters, digits, '_', '.' or '-', starting with a letter or digit, at most 63",
};

/**
 * An npm package name, optionally scoped. It must not start with '.' or '_'
 * (npm refuses those), so '.' and '..' are not names: they would resolve as paths.
 */
export const packageNamePattern = '^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$';

