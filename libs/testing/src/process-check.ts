import { readFileSync } from 'node:fs';

/** True when `pid` is alive and its command line contains `needle` (guards against reused PIDs). */
export function processMatches(pid: number, needle: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return false;
  }
}
