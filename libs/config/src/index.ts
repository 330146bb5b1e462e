export * from './environment';
export * from './jrp-config';
