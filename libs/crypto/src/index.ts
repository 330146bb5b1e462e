export * from './errors';
export * from './key-ring';
export * from './field-cipher';
export * from './keyed-hash';
export * from './redact';
export * from './personal-data';
