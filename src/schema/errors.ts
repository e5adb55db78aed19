import type { ErrorObject } from 'ajv';
import type { SpecPath } from '../contract.js';
import { coreProblem, quote, type Problem } from '../diagnostics.js';
import type { CoreRule } from '../rules.js';
import { hostNameSchema, interfaceNameSchema } from './patterns.js';

/** JSON pointer (/tunnels/0/ttl) to a spec path (['tunnels', 0, 'ttl']). */
function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function expected(schema: Record<string, unknown> | undefined): string | undefined {
  if (!schema) return undefined;
  return (schema['x-expect'] as string | undefined) ?? (schema['description'] as string | undefined);
}

const typeNames: Readonly<Record<string, string>> = {
  array: 'a list',
  object: 'a mapping',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  string: 'a string',
};

/** One readable sentence for one ajv error. */
function describe(error: ErrorObject): string {
  const parent = error.parentSchema;
  const params = error.params as Record<string, unknown>;
  // Only built when the message shows it: quoting a mapping of 100,000 keys per unknown key is quadratic.
  const got = () => (error.data === undefined ? '' : `, got ${quote(error.data)}`);
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((parent?.['properties'] as object | undefined) ?? {}).sort();
      const mode = (parent?.['properties'] as Record<string, { const?: string }> | undefined)?.['mode']?.const;
      const where = mode ? ` for mode ${mode}` : '';
      return `unknown field ${quote(params['additionalProperty'])}${where}; allowed: ${allowed.join(', ')}`;
    }
    case 'required':
      return `missing field ${quote(params['missingProperty'])}`;
    case 'discriminator':
      return params['error'] === 'tag' ? 'missing field "mode"' : `unknown mode ${quote(params['tagValue'])}`;
    case 'enum':
      return `expected ${expected(parent) ?? 'one of'}: ${(params['allowedValues'] as unknown[]).map((v) => quote(v)).join(', ')}${got()}`;
    case 'const':
      return `expected ${quote(params['allowedValue'])}${got()}`;
    case 'type':
      // A description says what a field is for, not what it looks like: only x-expect describes a shape.
      return `expected ${(parent?.['x-expect'] as string | undefined) ?? typeNames[String(params['type'])] ?? String(params['type'])}${got()}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${error.message ?? 'out of range'}${got()}`;
    case 'minItems':
    case 'maxItems':
      return `must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params['limit'])} items`;
    default:
      return `expected ${expected(parent) ?? error.message ?? error.keyword}${got()}`;
  }
}

const keywordRules: Readonly<Record<string, CoreRule>> = {
  additionalProperties: 'schema/unknown-key',
  required: 'schema/missing-key',
  type: 'schema/type',
  minimum: 'schema/range',
  maximum: 'schema/range',
  exclusiveMinimum: 'schema/range',
  exclusiveMaximum: 'schema/range',
  minItems: 'schema/range',
  maxItems: 'schema/range',
  minLength: 'schema/range',
  maxLength: 'schema/range',
  minProperties: 'schema/range',
  maxProperties: 'schema/range',
  pattern: 'schema/format',
  format: 'schema/format',
  propertyNames: 'schema/format',
};

/** Names have rules of their own, whichever keyword of their shape failed; told apart by what they expect. */
const shapeRules = new Map<unknown, CoreRule>([
  [interfaceNameSchema['x-expect'], 'name/invalid'],
  [hostNameSchema['x-expect'], 'host/invalid-name'],
]);

/**
 * The rule an ajv error breaks: by the shape it checks when that has a rule, else by its keyword.
 * A oneOf no branch of which fits takes the rule of what its branches said about the value itself
 * when they agree once "wrong type" and "not that constant" are set aside: ttl 0 is out of range.
 */
function ruleOf(error: ErrorObject, all: readonly ErrorObject[]): CoreRule {
  const shape = (error.keyword === 'propertyNames' ? error.schema : error.parentSchema) as
    | Record<string, unknown>
    | undefined;
  const byShape = shapeRules.get(shape?.['x-expect']);
  if (byShape) return byShape;
  if (error.keyword === 'discriminator')
    return (error.params as { error?: string }).error === 'tag' ? 'schema/missing-key' : 'schema/unknown-mode';
  if (error.keyword === 'enum' && error.instancePath.endsWith('/mode')) return 'schema/unknown-mode';
  if (error.keyword === 'oneOf') {
    const inner = new Set(
      all
        .filter((e) => e.instancePath === error.instancePath && e.schemaPath.startsWith(`${error.schemaPath}/`))
        .filter((e) => e.keyword !== 'type' && e.keyword !== 'const')
        .map((e) => ruleOf(e, all)),
    );
    if (inner.size === 1) return [...inner][0]!;
  }
  return keywordRules[error.keyword] ?? 'schema/value';
}

/**
 * Turns ajv's raw errors into one problem per real mistake: inside a oneOf it
 * keeps the branch whose type matches the value, so a bad address string is
 * not also told it should be an object.
 */
export function schemaProblems(errors: readonly ErrorObject[], prefix: SpecPath = []): Problem[] {
  const branchOf = (error: ErrorObject, oneOf: ErrorObject) =>
    error.schemaPath.startsWith(`${oneOf.schemaPath}/`) ? Number(error.schemaPath.slice(oneOf.schemaPath.length + 1).split('/')[0]) : -1;

  // Errors inside propertyNames repeat the propertyNames error itself.
  let kept = errors.filter((e) => (e as { propertyName?: string }).propertyName === undefined);
  for (const oneOf of errors.filter((e) => e.keyword === 'oneOf')) {
    const inside = kept.filter((e) => branchOf(e, oneOf) >= 0);
    const typeMismatch = new Set(
      inside.filter((e) => e.keyword === 'type' && e.instancePath === oneOf.instancePath).map((e) => branchOf(e, oneOf)),
    );
    const candidates = inside.filter((e) => !typeMismatch.has(branchOf(e, oneOf)));
    const branches = new Set(candidates.map((e) => branchOf(e, oneOf)));
    // Exactly one plausible branch: its errors say more than "must match one of". Not when that
    // branch only failed a const ("inherit" for ttl: "64"): the oneOf's own description says more.
    const useful = branches.size === 1 && !candidates.every((e) => e.keyword === 'const') ? candidates : [];
    kept = kept.filter((e) => e === oneOf ? useful.length === 0 : !inside.includes(e) || useful.includes(e));
  }
  // The discriminator repeats what the mode enum already said.
  const modeEnum = new Set(kept.filter((e) => e.keyword === 'enum' && e.instancePath.endsWith('/mode')).map((e) => e.instancePath));
  kept = kept.filter((e) => !(e.keyword === 'discriminator' && modeEnum.has(`${e.instancePath}/mode`)));

  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of kept) {
    const path = [...prefix, ...pointerToPath(error.instancePath)];
    const params = error.params as Record<string, unknown>;
    let atKey = false;
    if (error.keyword === 'additionalProperties') {
      path.push(String(params['additionalProperty']));
      atKey = true;
    } else if (error.keyword === 'propertyNames') {
      path.push(String(params['propertyName']));
      atKey = true;
    }
    const message =
      error.keyword === 'propertyNames'
        ? `invalid name ${quote(params['propertyName'])}: expected ${expected(error.schema as Record<string, unknown>) ?? 'a valid name'}`
        : describe(error);
    const id = `${path.join('/')}\n${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(coreProblem(ruleOf(error, errors), message, path, { atKey }));
  }
  return problems;
}
