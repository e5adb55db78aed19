// Type-aware linting for the sources, tests and scripts; formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', 'src/generated/', 'test/fixtures/', 'ansible/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-duplicate-imports': 'error',
    },
  },
  {
    // vitest types its asymmetric matchers (expect.any, expect.stringMatching, ...) as any,
    // so putting one in an expected object would trip this rule at every use.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The scripts are JavaScript, type-checked through their own project (see tsconfig.scripts.json).
    files: ['**/*.mjs'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.scripts.json' },
    },
    rules: {
      // tsc checks these files (undefined names included); their untyped parameters are
      // deliberately implicit any, which the no-unsafe rules would flag at every use.
      'no-undef': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The binary compiles and runs the bundle; there is nothing to type-check without a build.
    // It is CommonJS (bin/package.json), which Node starts faster than an ES module.
    files: ['bin/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'commonjs',
      // The global process, not node:process, whose namespace costs start-up time (see src/cli/io.ts).
      globals: { process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
