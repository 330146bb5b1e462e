// Three layers: `unit` (specs beside the code, no I/O), `e2e` (test/, real PostgreSQL and real bus) and `docs` (the
// maintainers' documents name files and classes that exist).
const { compilerOptions } = require('./tsconfig.json');

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        // Rewrites the @jrp/* aliases at transform time, so global setup (plain require) resolves them too.
        baseUrl: __dirname,
        paths: compilerOptions.paths,
      },
      module: { type: 'commonjs' },
    },
  ],
};

const common = {
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/tools/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'docs',
      testMatch: ['<rootDir>/test/docs/**/*.spec.ts'],
    },
  ],
};
