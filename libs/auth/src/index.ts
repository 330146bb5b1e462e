export * from './principal';
export * from './token';
export * from './decorators';
export * from './auth.guard';
