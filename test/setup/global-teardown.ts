export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __jrpStop?: () => Promise<void> }).__jrpStop?.();
}
