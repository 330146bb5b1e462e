export * from './audit-recorder';
export * from './refusal-queue';
export * from './refused-requests';
