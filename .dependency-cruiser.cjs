// dependency-cruiser: the boundaries between the services, the shared libraries and the HTTP layer.
// `npm run lint` runs it as `depcruise apps libs tools bench test scripts`; any violation fails `npm test`.
// A controller reaches persistence only through its feature's service (controller → service → repository).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-app-to-other-app',
      comment:
        'A service never imports another service; they share code through libs/ and talk through events and ' +
        'HTTP. apps/standalone is the exception: it composes the three services in one process.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/standalone/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-lib-to-app',
      comment: 'Shared libraries never depend on a service.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: they make the load order fragile and the modules impossible to take apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-repository-in-controller',
      comment: 'A controller translates HTTP and calls a service; it never reaches a repository directly.',
      severity: 'error',
      from: { path: '[.]controller[.]ts$' },
      to: { path: '[.]repository[.]ts$' },
    },
    {
      name: 'no-database-in-controller',
      comment:
        'A controller runs no SQL: it imports neither typeorm (DataSource, EntityManager) nor pg. ' +
        'Persistence belongs to repositories behind a service.',
      severity: 'error',
      from: { path: '[.]controller[.]ts$' },
      to: { path: '^node_modules/(@types/)?(typeorm|pg)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a missing module or a mistyped path alias is an error, not a warning).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|test-artifacts|bench/results)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
