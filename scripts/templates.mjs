// Turns templates/**.hbs into plain JavaScript functions at build time. Handlebars parses each
// template (its parser also strips the whitespace of standalone {{#each}}/{{/each}} lines);
// the functions written here do what Handlebars' runtime does for the part of the language the
// templates use, without the runtime: no helper, partial or data-frame set-up per call and no
// closures per block, which were most of the cost of rendering a file in a short process.
// Anything outside that part fails the build rather than rendering differently.
import Handlebars from 'handlebars';

/** Block helpers the templates may use: Handlebars' own, with its meaning. */
const blockHelpers = new Set(['if', 'unless', 'each']);

/** Names that are helpers in Handlebars: as a plain {{name}} they would call the helper. */
const helperNames = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'helperMissing', 'blockHelperMissing']);

/** @data names Handlebars sets itself (in #each, for partials, for @root): only the caller's own are taken. */
const runtimeData = new Set([
  'root',
  'index',
  'key',
  'first',
  'last',
  'level',
  'contextPath',
  'partial-block',
  '_parent',
]);

/** What every compiled module starts with: the runtime's semantics of a value, #if and #each. */
const prelude = `const hasOwn = Object.hasOwn;
// The context a block gets where Handlebars hands it a missing one.
const nullContext = Object.seal({});
/** #if's test: false for a falsy value (0 too) and an empty list. */
function truthy(v) {
  return !!v && !(Array.isArray(v) && v.length === 0);
}
/** #each: the items of a list (its holes skipped), of an iterable, or the values of an object's own keys. */
function each(list, fn, inverse, self, data) {
  if (typeof list === 'function') list = list.call(self);
  let i = 0;
  let out = '';
  if (list && typeof list === 'object') {
    if (Array.isArray(list)) {
      for (const n = list.length; i < n; i++) if (i in list) out = out + fn(list[i], data);
    } else if (list[Symbol.iterator]) {
      for (const item of list) {
        out = out + fn(item, data);
        i++;
      }
    } else {
      for (const key of Object.keys(list)) {
        out = out + fn(list[key], data);
        i++;
      }
    }
  }
  return i === 0 ? inverse(self, data) : out;
}
function none() {
  return '';
}
`;

/**
 * A JavaScript module exporting `templates`: each template's name (its path under templates/
 * without ".hbs") mapped to a function of a context and @data values, (context, data) => text,
 * the text Handlebars renders with { noEscape: true } as template(context, { data }).
 * Templates read the values of the data object as {{@name}}, in any block.
 * @param {Array<[string, string]>} sources template names and texts
 */
export function templateModule(sources) {
  const functions = [];
  const entries = [];
  for (const [name, text] of sources) {
    const base = name.replace(/[^A-Za-z0-9]+/g, '_');
    const compiler = new ProgramCompiler(name, base, functions);
    entries.push(`  ${JSON.stringify(name)}: ${compiler.program(Handlebars.parse(text))},`);
  }
  return [
    prelude,
    ...functions,
    '/** @type {Record<string, (context: object, data?: object) => string>} */',
    'export const templates = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

class ProgramCompiler {
  /**
   * @param {string} template name, for errors
   * @param {string} base prefix of the function names
   * @param {string[]} functions where each program's function goes
   */
  constructor(template, base, functions) {
    this.template = template;
    this.base = base;
    this.functions = functions;
    this.count = 0;
  }

  /** @param {string} what @param {any} node */
  refuse(what, node) {
    const at = node?.loc ? `:${node.loc.start.line}:${node.loc.start.column + 1}` : '';
    return new Error(`templates/${this.template}.hbs${at}: ${what} is not supported by scripts/templates.mjs`);
  }

  /**
   * Writes the function of a program (a template or a block's body) and returns its name. Like
   * Handlebars' compiled code it returns its parts joined with +, so the text is the same even
   * where two values meet; a whole template's result is made a string, as Handlebars does.
   * @param {any} program
   */
  program(program) {
    const top = this.count === 0;
    if (program.blockParams?.length) throw this.refuse('block parameters', program);
    const name = top ? this.base : `${this.base}_${this.count}`;
    this.count++;
    const parts = [];
    for (const node of program.body) {
      if (node.type === 'ContentStatement') {
        if (node.value) parts.push(JSON.stringify(node.value));
      } else if (node.type === 'CommentStatement') {
        // Renders nothing.
      } else if (node.type === 'MustacheStatement') {
        if (node.params.length || node.hash) throw this.refuse('a helper call', node);
        if (node.path.type === 'PathExpression' && helperNames.has(node.path.original))
          throw this.refuse(`{{${node.path.original}}}`, node);
        // Handlebars calls a function value with the context and renders null and undefined as nothing.
        parts.push(`((v = ${this.lookup(node.path)}), typeof v === 'function' && (v = v.call(d)), v != null ? v : '')`);
      } else if (node.type === 'BlockStatement') {
        parts.push(`((v = ${this.block(node)}) != null ? v : '')`);
      } else {
        throw this.refuse(node.type, node);
      }
    }
    const result = parts.join('\n    + ') || "''";
    this.functions.push(`function ${name}(d, data) {\n  let v;\n  return ${top ? `'' + (${result})` : result};\n}\n`);
    return name;
  }

  /** @param {any} node */
  block(node) {
    const helper = node.path.type === 'PathExpression' ? node.path.original : undefined;
    if (!blockHelpers.has(helper)) throw this.refuse(`{{#${helper ?? node.path.type}}}`, node);
    if (node.params.length !== 1 || node.hash) throw this.refuse(`{{#${helper}}} with other than one value`, node);
    const value = this.lookup(node.params[0]);
    const fn = this.program(node.program);
    const inverse = node.inverse ? this.program(node.inverse) : 'none';
    // A helper gets `this`, which is the context or, where there is none, an empty object.
    const self = '(d != null ? d : nullContext)';
    if (helper === 'each') return `each(${value}, ${fn}, ${inverse}, ${self}, data)`;
    const [yes, no] = helper === 'if' ? [fn, inverse] : [inverse, fn];
    return `((v = ${value}), typeof v === 'function' && (v = v.call(${self})), truthy(v) ? ${yes}(${self}, data) : ${no}(${self}, data))`;
  }

  /**
   * A value of the context (`this`, or one of its own properties) or of the data (@name).
   * Handlebars' runtime refuses inherited properties by default, and so does this.
   * @param {any} path
   */
  lookup(path) {
    if (path.type !== 'PathExpression') throw this.refuse(`a ${path.type} value`, path);
    if (path.depth !== 0 || path.parts.length > 1 || (path.data && runtimeData.has(path.parts[0])))
      throw this.refuse(`the path ${path.original}`, path);
    const from = path.data ? 'data' : 'd';
    if (path.parts.length === 0) return from;
    const [key] = path.parts;
    if (key in Object.prototype) throw this.refuse(`the name ${key}`, path);
    return `(${from} != null && hasOwn(${from}, ${JSON.stringify(key)}) ? ${from}[${JSON.stringify(key)}] : undefined)`;
  }
}
