export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __jrpStopDatabase?: () => Promise<void> }).__jrpStopDatabase?.();
}
