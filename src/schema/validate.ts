import type { ErrorObject } from 'ajv';
import type { ModePlugin } from '../contract.js';
import type { Problem } from '../diagnostics.js';
import { schemaProblems } from './errors.js';

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** ajv errors turned into problems at most (more than are ever shown). */
const maxSchemaErrors = 1000;

let builtinValidator: Promise<Validate> | undefined;
let quickValidator: Promise<(data: unknown) => Promise<boolean>> | undefined;

/**
 * Validates a spec against the schema of its plugins. The built-in set uses the
 * validators compiled at build time: a quick one that only says whether the
 * spec is valid, then, for an invalid spec, the one that collects every error.
 * Third-party plugins pay for ajv at run time, once per run: their modes' schemas
 * were compiled when they loaded, and the spec schema of a set of modes is kept.
 */
export async function validateSchema(data: unknown, plugins: readonly ModePlugin[], builtin: boolean): Promise<SchemaResult> {
  if (builtin && (await (await loadQuickValidator())(data))) return { problems: [], complete: true };
  const validate = builtin ? await loadBuiltinValidator() : await compileAtRunTime(plugins);
  if (validate(data)) return { problems: [], complete: true };
  // The first errors say what is wrong; a spec of 100,000 unknown keys need not be described 100,000 times.
  const errors = validate.errors ?? [];
  return { problems: schemaProblems(errors.slice(0, maxSchemaErrors)), complete: errors.length <= maxSchemaErrors };
}

export interface SchemaResult {
  problems: Problem[];
  /**
   * False when there were more errors than are turned into problems: the parts of the
   * spec those would have named are unknown, so nothing after the schema may trust it.
   */
  complete: boolean;
}

function loadBuiltinValidator(): Promise<Validate> {
  builtinValidator ??= import('../generated/validate-spec.cjs').then((m) => m.default as unknown as Validate);
  return builtinValidator;
}

function loadQuickValidator(): Promise<(data: unknown) => Promise<boolean>> {
  quickValidator ??= import('../generated/validate-spec-quick.js').then((m) => m.default);
  return quickValidator;
}

async function compileAtRunTime(plugins: readonly ModePlugin[]): Promise<Validate> {
  const { specValidator } = await import('./plugin-schemas.js');
  return specValidator(plugins);
}
