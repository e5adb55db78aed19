import type { JsonSchema, ModePlugin } from '../contract.js';
import { cidrSchema, hostNameSchema, interfaceNameSchema, ipSchema, outerAddressSchema, packageNamePattern } from './patterns.js';

export const schemaId = 'https://tungen.dev/schema/tungen.schema.json';

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
const routesSchema: JsonSchema = { type: 'array', maxItems: 256, items: cidrSchema };

const endSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  properties: {
    host: hostNameSchema,
    name: { ...interfaceNameSchema, description: 'Interface name on this host, when it differs from the tunnel name' },
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

/** The whole spec schema: the base plus each mode's options, discriminated by `mode`. */
export function assembleSchema(plugins: readonly ModePlugin[]): JsonSchema {
  const modeBranches = plugins.map((plugin) => ({
    type: 'object',
    description: plugin.description,
    additionalProperties: false,
    required: ['name', 'mode', ...(plugin.requiredOptions ?? [])],
    properties: {
      ...baseTunnelProperties,
      ...plugin.options,
      mode: { const: plugin.name },
    },
  }));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: schemaId,
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
            underlay: { ...outerAddressSchema, description: 'Outer address other hosts reach this one on' },
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
