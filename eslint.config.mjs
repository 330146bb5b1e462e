// @ts-check
// ESLint: typescript-eslint's recommended type-checked rules over every TypeScript file (apps, libs, tools, bench,
// scripts, test). Each departure from the preset below says why.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_SQL_OUTSIDE_REPOSITORIES = {
  selector: "CallExpression[callee.property.name='query']",
  message: 'SQL belongs in a repository file (*.repository.ts); call the repository instead.',
};
const NO_TRANSACTION_PARAMETERS = {
  selector:
    ':function > Identifier.params[typeAnnotation.typeAnnotation.typeName.name=/^(EntityManager|OutboxService)$/]',
  message:
    'No transaction or outbox parameters: repositories find the transaction through the unit of work ' +
    '(DatabaseRepository), services inject OutboxService.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'bench/results/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (a position in a signature, a field taken
      // out of a row with `...rest`); everything else unused is an error.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Persistence stays in repositories (issue 16): no SQL outside repository files, migrations and the database
    // library itself; no transaction or outbox handed from method to method (the unit of work finds it).
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'tools/**/*.ts'],
    ignores: [
      '**/*.repository.ts',
      '**/*.migration.ts',
      '**/migrations/**',
      '**/*.spec.ts',
      'libs/database/src/**',
      'libs/testing/src/**',
      'tools/migrate/**',
    ],
    rules: {
      'no-restricted-syntax': ['error', NO_SQL_OUTSIDE_REPOSITORIES, NO_TRANSACTION_PARAMETERS],
    },
  },
  {
    // The messaging core wires the outbox into the relay and the consumer server: there, passing it is the point.
    files: ['libs/messaging/src/**/*.ts'],
    ignores: ['**/*.repository.ts', '**/*.migration.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_SQL_OUTSIDE_REPOSITORIES] },
  },
  {
    // End-to-end specs read HTTP responses through supertest, whose `res.body` is `any` by design (the body is
    // whatever the server sent); the specs assert on its shape with expect(). Only the no-unsafe-* family is off
    // here; every other rule applies to the specs as to the code.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The few plain JavaScript files (jest configuration, the build check, generators) run in Node as CommonJS
    // and are outside the TypeScript project: the base recommended rules apply, without type information.
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The dashboard's script runs in the browser as a classic script, served as it is (no bundler); ECharts is the
    // page's global `echarts`.
    files: ['apps/feedback/src/dashboard/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        sessionStorage: 'readonly',
        fetch: 'readonly',
        echarts: 'readonly',
      },
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
