/** Personal ID numbers are shown as their first 6 characters followed by asterisks. */
export function maskIdNumber(value: string): string {
  if (value.length <= 6) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 6);
}
