import type { Command } from 'commander';
import { builtinPlugins } from '../../plugins/registry.js';
import { assembleSchema } from '../../schema/assemble.js';
import { publishedSchema } from '../../schema/publish.js';
import { exitCodes, out } from '../io.js';
import type { CliContext } from '../options.js';

export function registerSchema(program: Command, cli: CliContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of the spec, for editors ($schema or a yaml-language-server comment)')
    .action(() => {
      out(JSON.stringify(publishedSchema(assembleSchema(builtinPlugins().list)), null, 2));
      cli.finish(exitCodes.ok);
    });
}
