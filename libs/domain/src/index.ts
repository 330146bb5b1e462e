export * from './uscc';
export * from './id-number';
export * from './region';
export * from './anhui-divisions';
export * from './mask';
export * from './validators';
export * from './identity-document';
export * from './working-days';
