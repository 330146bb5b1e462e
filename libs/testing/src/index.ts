export * from './identifiers';
export * from './wait-for';
export * from './test-database';
export * from './test-app';
export * from './service-process';
export * from './nginx';
export * from './test-kafka';
export * from './process-check';
