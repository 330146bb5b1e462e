export * from './audit-recorder';
export * from './audit-trail';
