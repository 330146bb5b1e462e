export * from './problem-details.filter';
export * from './validation';
export * from './http-app';
export * from './health.controller';
export * from './platform.module';
export * from './pagination';
export * from './bootstrap';
