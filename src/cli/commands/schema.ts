import type { Command } from 'commander';
import { builtinPlugins } from '../../plugins/registry.js';
import { assembleSchema } from '../../schema/assemble.js';
import { publishedSchema } from '../../schema/publish.js';
import { out } from '../io.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the spec, for editors ($schema or a yaml-language-server comment)')
    .action(() => {
      out(JSON.stringify(publishedSchema(assembleSchema(builtinPlugins().list)), null, 2));
    });
}
