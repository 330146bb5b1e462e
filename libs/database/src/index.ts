export * from './embedded-postgres';
export * from './data-source';
export * from './repository';
export * from './table';
export * from './transactions';
export * from './encrypted-columns';
