export * from './environment';
export * from './jrp-config';
export * from './env-file';
