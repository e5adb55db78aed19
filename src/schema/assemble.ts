import type { JsonSchema, ModePlugin } from '../contract.js';
import { publishedSchemaId } from './publish.js';
import { cidrSchema, hostNameSchema, interfaceNameSchema, ipSchema, outerAddressSchema, packageNamePattern } from './patterns.js';


/** An inner address: ADDRESS/PREFIX, or an object naming the peer explicitly. */
const addressSchema: JsonSchema = {
  oneOf: [
    cidrSchema,
    {
      type: 'object',
      additionalProperties: false,
      required: ['address'],
      properties: { address: cidrSchema, peer: ipSchema },
    },
  ],
};

const addressesSchema: JsonSchema = { type: 'array', maxItems: 64, items: addressSchema };
/** A route: NETWORK/PREFIX, or an object with a gateway and attributes, as `ip route add` takes them. */
const routeSchema: JsonSchema = {
  oneOf: [
    cidrSchema,
    {
      type: 'object',
      additionalProperties: false,
      required: ['to'],
      properties: {
        to: { ...cidrSchema, description: 'Destination network' },
        via: { ...ipSchema, description: 'Gateway: on the subnet of an address of this end, or give onLink' },
        onLink: { type: 'boolean', description: 'The gateway is on the link even though no address covers it' },
        metric: { type: 'integer', minimum: 0, maximum: 4294967295, 'x-expect': 'a metric 0-4294967295' },
        table: {
          type: 'integer',
          minimum: 1,
          maximum: 4294967295,
          'x-expect': 'a routing table number 1-4294967295',
          description: 'Routing table (254 is main)',
        },
        scope: { enum: ['global', 'link', 'host'], 'x-expect': 'a scope' },
        source: { ...ipSchema, description: 'Preferred source address: one of this end\'s addresses' },
      },
    },
  ],
  'x-expect': 'a route: NETWORK/PREFIX or {to: NETWORK/PREFIX, via, onLink, metric, table, scope, source}',
};
const routesSchema: JsonSchema = { type: 'array', maxItems: 256, items: routeSchema };

/** One outer address, or a list of them (IPv4 and IPv6) for tunnels of either outer family. */
const underlaySchema: JsonSchema = {
  oneOf: [
    outerAddressSchema,
    { type: 'array', minItems: 1, maxItems: 16, items: outerAddressSchema },
  ],
  'x-expect': 'an IP address such as 10.9.29.68, or a list of them',
  description:
    "Outer addresses other hosts reach this one on; a tunnel takes the first of its mode's family unless its end names one",
};

const endSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  properties: {
    host: hostNameSchema,
    name: { ...interfaceNameSchema, description: 'Interface name on this host, when it differs from the tunnel name' },
    underlay: { ...outerAddressSchema, description: "Which of the host's underlay addresses this end uses" },
    addresses: { ...addressesSchema, description: 'Inner addresses of this end; peers pair with the other end by family and order' },
    routes: { ...routesSchema, description: 'Networks this end reaches through the tunnel' },
  },
};

/** Properties every tunnel has, whatever its mode. */
export const baseTunnelProperties: Record<string, JsonSchema> = {
  name: { ...interfaceNameSchema, description: 'Interface name' },
  description: { type: 'string', maxLength: 200, pattern: '^[^\\n\\r]*$', 'x-expect': 'one line of text' },
  ends: {
    type: 'array',
    minItems: 2,
    maxItems: 2,
    items: endSchema,
    description: 'Two-ended form: the tunnel as seen from each host, written once',
  },
  host: { ...hostNameSchema, description: 'One-ended form: host this tunnel belongs to (when the spec lists hosts)' },
  local: { ...outerAddressSchema, description: "One-ended form: this machine's outer address (default: the host's underlay)" },
  remote: { ...outerAddressSchema, description: "One-ended form: the peer's outer address" },
  addresses: { ...addressesSchema, description: 'One-ended form: inner addresses' },
  routes: { ...routesSchema, description: 'Networks reached through the tunnel (both ends in the two-ended form)' },
  mtu: { type: 'integer', minimum: 68, maximum: 65535, description: 'MTU of the tunnel interface' },
};

/** The schema of one tunnel of a mode: the base plus the mode's options. */
export function modeBranch(plugin: ModePlugin): JsonSchema {
  return {
    type: 'object',
    description: plugin.description,
    additionalProperties: false,
    required: ['name', 'mode', ...(plugin.requiredOptions ?? [])],
    properties: {
      ...baseTunnelProperties,
      ...plugin.options,
      mode: { const: plugin.name },
    },
  };
}

/**
 * The whole spec schema: the base plus each mode's branch, discriminated by `mode`.
 * `branch` may stand a reference in for a branch compiled already.
 */
export function assembleSchema(
  plugins: readonly ModePlugin[],
  branch: (plugin: ModePlugin) => JsonSchema = modeBranch,
): JsonSchema {
  const modeBranches = plugins.map(branch);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: publishedSchemaId,
    title: 'tungen spec',
    type: 'object',
    additionalProperties: false,
    required: ['tunnels'],
    properties: {
      $schema: { type: 'string' },
      version: { const: 1, description: 'Spec format version' },
      plugins: {
        type: 'array',
        items: { type: 'string', pattern: packageNamePattern, 'x-expect': 'an npm package name' },
        description: 'Third-party mode plugins, by package name',
      },
      hosts: {
        type: 'object',
        description: 'Hosts that tunnels connect, by name',
        propertyNames: hostNameSchema,
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['underlay'],
          properties: {
            underlay: underlaySchema,
            description: baseTunnelProperties['description'],
          },
        },
      },
      tunnels: {
        type: 'array',
        items: {
          type: 'object',
          required: ['mode'],
          properties: { mode: { enum: plugins.map((p) => p.name), 'x-expect': 'a mode' } },
          discriminator: { propertyName: 'mode' },
          oneOf: modeBranches,
        },
      },
    },
  };
}
