/**
 * The plain words that YAML 1.2's core schema reads as null or a boolean. Of the plain scalars
 * that start with a letter or `_`, these are the only ones that are not their own text (numbers,
 * `~` and `.inf` start otherwise): both the spec reader and the locator take the rest as written.
 */
export const coreSchemaWords: ReadonlySet<string> = new Set([
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
]);
