export * from './uscc';
export * from './id-number';
export * from './region';
export * from './mask';
export * from './validators';
