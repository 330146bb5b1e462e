// dependency-cruiser: the boundaries between the services, the shared libraries and the HTTP layer.
// `npm run lint` runs it as `depcruise apps libs tools bench test scripts --ignore-known`.
//
// .dependency-cruiser-known-violations.json is the baseline of the violations that existed when these rules came
// in and that wait for controllers to reach persistence only through a service (one query service per feature):
//   apps/measures/src/audit/audit.controller.ts          runs SQL on an injected DataSource (typeorm)
//   apps/measures/src/catalogue/catalogue.controller.ts  reads through CatalogueRepository
//   apps/measures/src/subscriptions/subscriptions.controller.ts  reads through SubscriptionsRepository
//   apps/measures/src/tasks/queries/tasks.controller.ts  reads through TaskQueriesRepository
//   apps/measures/src/tasks/state/task-state.controller.ts  reads through TaskQueriesRepository
// depcruise reports them as known and fails on every other violation. When one is fixed, regenerate the baseline
// (`npx depcruise-baseline apps libs tools bench test scripts`) so that it cannot come back; never add to it.
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
