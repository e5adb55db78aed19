/**
 * The spec schema as published (schema/tungen.schema.json, `tungen schema`): draft-07 keywords
 * only, so strict validators (ajv in strict mode, Python's jsonschema, yaml-language-server)
 * take it as it is, and shaped so that their first error names the mistake.
 *
 * tungen's own validator compiles the schema as assembled: `x-expect` (what a value should look
 * like, for tungen's messages) and ajv's `discriminator` (one branch per mode) are its own
 * keywords. Here they give way to standard forms with the same meaning:
 * - `x-expect` is dropped;
 * - a `oneOf` picked by a discriminator becomes one `if`/`then` per mode, and a `oneOf` of a
 *   mapping and scalars becomes `if: {type: object}`/`then`/`else`. Under `oneOf`, a key
 *   typed wrong fails every branch and validators report that no branch matched; under
 *   `if`/`then` only the chosen branch runs and reports the key by name.
 */
import type { JsonSchema } from '../contract.js';

/** Where the schema is not fetched from: it ships with tungen and is printed by `tungen schema`. */
export const publishedSchemaId = 'urn:tungen:spec-schema:1';

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

export function publishedSchema(schema: JsonSchema): JsonSchema {
  return { ...(publish(schema) as Node), $id: publishedSchemaId };
}

function publish(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publish);
  if (!isNode(value)) return value;
  const out: Node = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('x-') || key === 'discriminator' || key === 'oneOf') continue;
    // Under properties (and the like) keys are names, not keywords: keep them all.
    out[key] = key === 'properties' && isNode(child) ? mapValues(child, publish) : publish(child);
  }
  const branches = value['oneOf'];
  if (!Array.isArray(branches)) return out;
  const discriminator = value['discriminator'];
  if (isNode(discriminator) && typeof discriminator['propertyName'] === 'string') {
    const tag = discriminator['propertyName'];
    out['allOf'] = branches.map((branch: Node) => ({
      if: {
        type: 'object',
        required: [tag],
        properties: { [tag]: { const: ((branch['properties'] as Node)[tag] as Node)['const'] } },
      },
      then: publish(branch),
    }));
    return out;
  }
  const objects = branches.filter((b: Node) => b['type'] === 'object');
  const scalars = branches.filter((b: Node) => b['type'] !== 'object');
  if (objects.length === 1 && scalars.every((b: Node) => typeof b['type'] === 'string')) {
    out['if'] = { type: 'object' };
    out['then'] = publish(objects[0]);
    out['else'] = scalars.length === 1 ? publish(scalars[0]) : { oneOf: publish(scalars) };
    return out;
  }
  out['oneOf'] = publish(branches);
  return out;
}

function mapValues(node: Node, fn: (value: unknown) => unknown): Node {
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fn(value)]));
}
