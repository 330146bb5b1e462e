export * from './columns';
export * from './import-file-error';
export * from './read-rows';
export * from './template';
export * from './errors-csv';
