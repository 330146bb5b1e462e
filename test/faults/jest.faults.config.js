// The fault suite (`npm run test:faults`): kept out of `npm test`. Its specs start their own PostgreSQL,
// Kafka broker and service processes (from dist/), so it has no global setup.
const { projects } = require('../../jest.config.js');

const e2e = projects.find((p) => p.displayName === 'e2e');

module.exports = {
  rootDir: '../..',
  displayName: 'faults',
  transform: e2e.transform,
  moduleFileExtensions: e2e.moduleFileExtensions,
  testEnvironment: 'node',
  setupFiles: e2e.setupFiles,
  testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'],
  testTimeout: 10 * 60 * 1000,
};
