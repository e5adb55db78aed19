/**
 * The templates are compiled to plain functions by scripts/templates.mjs instead of being run by
 * Handlebars' runtime. For any context and @data they must render what Handlebars renders with
 * the options the templates had (values not escaped, no helpers but the built-in ones): checked
 * on every file the examples and golden specs plan, on generated contexts for each template, and
 * on generated templates of the part of the language the compiler takes. What it does not take
 * fails the build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { checkSpec, loadSpec } from 'tungen';
import { describe, expect, it } from 'vitest';
import { templates } from '../src/generated/templates.js';
import { targets } from '../src/targets/index.js';
import { listFiles, repoRoot } from './support/run-cli.js';

const compilerFile = '../scripts/templates.mjs';
const { templateModule } = (await import(compilerFile)) as {
  templateModule: (sources: Array<[string, string]>) => string;
};

type Render = (context: unknown, data?: unknown) => unknown;

/** The options scripts/build.mjs compiled the templates with while Handlebars' runtime rendered them. */
const handlebarsOptions = { noEscape: true, knownHelpersOnly: true, preventIndent: true };

/** Handlebars' rendering of a template, called as the compiled functions are. */
function handlebars(text: string): Render {
  const template = Handlebars.compile(text, handlebarsOptions);
  return (context, data) => template(context, { data });
}

/** The text a render returns, or the error it throws (an object without a prototype cannot be made text). */
function outcome(render: () => unknown): unknown {
  try {
    return render();
  } catch (error) {
    return { threw: String(error) };
  }
}

/** Runs a module templateModule wrote and returns its templates. */
function compiled(sources: Array<[string, string]>): Record<string, Render> {
  const code = templateModule(sources).replace('export const templates =', 'return');
  return (runInThisContext(`(function () {\n${code}\n})`) as () => Record<string, Render>)();
}

const templateDir = join(repoRoot, 'templates');
const sources = new Map(
  (await listFiles(templateDir))
    .filter((path) => path.endsWith('.hbs'))
    .map((path) => [path.replace(/\.hbs$/, ''), readFileSync(join(templateDir, path), 'utf8')]),
);
// Handlebars says on the console that it refused an inherited property: here that is expected.
Handlebars.logger.level = Handlebars.logger.ERROR + 1;
const reference = new Map([...sources].map(([name, text]) => [name, handlebars(text)]));

describe('compiled templates', () => {
  it('are every template of templates/', () => {
    expect(Object.keys(templates).sort()).toEqual([...sources.keys()].sort());
    expect(sources.size).toBeGreaterThanOrEqual(4);
  });

  it('render every file of the examples and golden specs as Handlebars does', async () => {
    const specs = [
      ...readdirSync(join(repoRoot, 'examples'))
        .filter((name) => name.endsWith('.yaml'))
        .map((name) => join(repoRoot, 'examples', name)),
      ...(await listFiles(join(repoRoot, 'test/fixtures')))
        .filter((path) => /\/spec\.(yaml|json)$/.test(path))
        .map((path) => join(repoRoot, 'test/fixtures', path)),
    ];
    let files = 0;
    for (const file of specs) {
      // Some golden specs are there for the problems they have.
      const { spec } = await checkSpec(await loadSpec(file));
      for (const target of Object.values(targets))
        for (const end of spec?.ends ?? [])
          for (const plan of target.plan(end)) {
            const data = { header: '# header' };
            expect(templates[plan.template]!(plan.context, data)).toBe(
              reference.get(plan.template)!(plan.context, data),
            );
            files++;
          }
    }
    expect(files).toBeGreaterThan(100);
  });

  /** Values of any kind a context could hold, under the given names, nested a few levels. */
  const values = (names: string[]) =>
    fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(undefined, null, true, false, 0, -0, 1, 1400, Number.NaN, '', '0', 'gre', '10.0.0.1/30'),
        fc.string({ maxLength: 4 }),
        fc.sparseArray(tie('value'), { maxLength: 3 }),
        fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
        tie('object'),
        tie('value').map((value) => () => value),
      ),
      object: fc.dictionary(fc.constantFrom(...names), tie('value'), { maxKeys: names.length }),
    }));

  for (const [name, text] of sources) {
    const names = [...new Set([...text.matchAll(/\{\{[#^]?(\w+)/g)].map((m) => m[1]!))].filter(
      (n) => !['if', 'unless', 'each', 'else', 'this'].includes(n),
    );
    it(`${name} renders any context as Handlebars does`, () => {
      const { object, value } = values(names);
      fc.assert(
        fc.property(object, value, (context, header) => {
          const data = { header };
          expect(outcome(() => templates[name]!(context, data))).toEqual(
            outcome(() => reference.get(name)!(context, data)),
          );
        }),
        { numRuns: 500 },
      );
    });
  }

  it('renders generated templates as Handlebars does', () => {
    const names = ['a', 'b', 'key'];
    // Names an object only inherits, which neither renders.
    const inherited = Object.create(Object.fromEntries(names.map((name) => [name, 'inherited']))) as object;
    const template = fc.letrec<{ body: string; part: string }>((tie) => ({
      body: fc.array(tie('part'), { maxLength: 5 }).map((parts) => parts.join('')),
      part: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(
          'x',
          ' ',
          '\n',
          '  \n',
          '=',
          '{{this}}',
          '{{! note }}',
          '{{@a}}',
          ...names.map((n) => `{{${n}}}`),
        ),
        fc
          .record({
            helper: fc.constantFrom('if', 'unless', 'each'),
            name: fc.constantFrom('this', '@b', ...names),
            lines: fc.boolean(),
            fn: tie('body'),
            inverse: fc.option(tie('body'), { nil: undefined }),
          })
          .map(({ helper, name, lines, fn, inverse }) => {
            // On lines of their own, Handlebars drops the lines' whitespace: both must agree on that too.
            const nl = lines ? '\n' : '';
            const otherwise = inverse === undefined ? '' : `${nl}{{else}}${nl}${inverse}`;
            return `${nl}{{#${helper} ${name}}}${nl}${fn}${otherwise}${nl}{{/${helper}}}${nl}`;
          }),
      ),
    })).body;
    const value = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(undefined, null, false, 0, 7, '', 'v', inherited),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...names), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const data = fc.option(fc.dictionary(fc.constantFrom('a', 'b'), value), { nil: undefined });
    fc.assert(
      fc.property(template, value, data, (text, context, values) => {
        const ours = compiled([['t', text]]).t!;
        const theirs = handlebars(text);
        expect(outcome(() => ours(context, values))).toEqual(outcome(() => theirs(context, values)));
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['a partial', '{{> other}}'],
    ['a helper call', '{{lookup a "b"}}'],
    ['a helper as a value', 'x{{if}}'],
    ['another block helper', '{{#with a}}{{b}}{{/with}}'],
    ['a block with a hash', '{{#if a includeZero=true}}x{{/if}}'],
    ['@data that Handlebars sets', '{{#each a}}{{@index}}{{/each}}'],
    ['@root', '{{@root.a}}'],
    ['a parent context', '{{#each a}}{{../b}}{{/each}}'],
    ['a dotted path', '{{a.b}}'],
    ['an inherited name', '{{constructor}}'],
    ['block parameters', '{{#each a as |item|}}{{item}}{{/each}}'],
  ])('refuses %s, naming the template and place', (_what, text) => {
    expect(() => templateModule([['bad/one', text]])).toThrow(
      /^templates\/bad\/one\.hbs:\d+:\d+: .* is not supported by scripts\/templates\.mjs$/,
    );
  });
});
