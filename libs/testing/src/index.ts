export * from './identifiers';
export * from './wait-for';
export * from './test-database';
export * from './test-app';
export * from './service-process';
