export * from './embedded-postgres';
export * from './data-source';
export * from './repository';
export * from './table';
export * from './unnest-insert';
export * from './transactions';
export * from './service-roles';
export * from './encrypted-columns';
