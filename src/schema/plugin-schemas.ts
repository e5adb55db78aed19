/**
 * Schemas of modes that are not built in, compiled at run time. Built-in modes
 * are compiled at build time (src/generated); a third-party mode's tunnel schema
 * is compiled when its plugin loads, which is also where a broken one is found,
 * and the spec schema refers to it by $id instead of compiling it again.
 */
import type { ErrorObject } from 'ajv';
import type { JsonSchema, ModePlugin } from '../contract.js';
import { assembleSchema, modeBranch } from './assemble.js';
import { createAjv } from './compile.js';

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** One ajv for the process, so schemas compiled once can be referred to by the spec schemas. */
let shared: ReturnType<typeof createAjv> | undefined;
const ajv = () => (shared ??= createAjv());

/** Each mode's tunnel schema, by plugin object: its $id once compiled, or what is wrong with it. */
const modeSchemas = new WeakMap<ModePlugin, { id: string } | { problem: string }>();
let compiledModes = 0;

/**
 * Compiles a mode's tunnel schema, once per plugin object; returns what is wrong
 * with its option schemas in the words a plugin author can act on, or undefined.
 */
export function modeSchemaProblem(plugin: ModePlugin): string | undefined {
  let known = modeSchemas.get(plugin);
  if (!known) {
    known = compileMode(plugin);
    modeSchemas.set(plugin, known);
  }
  return 'problem' in known ? known.problem : undefined;
}

function compileMode(plugin: ModePlugin): { id: string } | { problem: string } {
  const options = plugin.options as Readonly<Record<string, unknown>>;
  // The meta-schema names the option at fault, where compiling would only say the whole schema is invalid.
  if (!ajv().validateSchema({ type: 'object', properties: options })) {
    const error = ajv().errors?.[0];
    const [, option, ...at] = (error?.instancePath ?? '').split('/').slice(1);
    const where = at.length ? `${at.join('/')} ` : '';
    return { problem: optionProblem(option, `${where}${error?.message ?? 'is not a JSON Schema'}`) };
  }
  const id = `urn:tungen:mode-schema:${++compiledModes}`;
  try {
    ajv().compile({ ...modeBranch(plugin), $id: id });
    return { id };
  } catch (error) {
    // A failed schema stays registered under its $id; nothing may refer to it.
    ajv().removeSchema(id);
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/^strict mode: /, '');
    return { problem: optionProblem(optionUsing(options, message), message) };
  }
}

const optionProblem = (option: string | undefined, message: string) =>
  option === undefined
    ? `its options schema is invalid: ${message}`
    : `option ${JSON.stringify(option)} has an invalid schema: ${message}`;

/** The option whose schema holds the keyword ajv names (`unknown keyword: "minimun"`), if any. */
function optionUsing(options: Readonly<Record<string, unknown>>, message: string): string | undefined {
  const keyword = /keyword: "([^"]+)"/.exec(message)?.[1];
  if (keyword === undefined) return undefined;
  const holds = (value: unknown): boolean =>
    !!value &&
    typeof value === 'object' &&
    (Object.hasOwn(value, keyword) || Object.values(value as Record<string, unknown>).some(holds));
  return Object.keys(options).find((option) => holds(options[option]));
}

/**
 * The spec validator for a set of modes with third-party ones, compiled once per
 * set of plugin objects: built-in branches inline, each third-party branch by its $id.
 */
export function specValidator(plugins: readonly ModePlugin[]): Validate {
  const ids = plugins.map((plugin) => {
    const known = modeSchemas.get(plugin);
    return known && 'id' in known ? known.id : undefined;
  });
  const id = `urn:tungen:spec-schema:runtime:${ids.map((modeId) => modeId?.split(':').pop() ?? '-').join(',')}`;
  const compiled = ajv().getSchema(id);
  if (compiled) return compiled as Validate;
  const schema: JsonSchema = {
    ...assembleSchema(plugins, (plugin) => {
      const modeId = ids[plugins.indexOf(plugin)];
      return modeId === undefined ? modeBranch(plugin) : { $ref: modeId };
    }),
    $id: id,
  };
  return ajv().compile(schema) as Validate;
}
