export * from './audit-recorder';
