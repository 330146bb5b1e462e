import { readFileSync } from 'node:fs';
import { makeIdNumber, makeUscc, SchemaProbe, ServiceProcess } from '@jrp/testing';

function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
}

/** Peak resident memory (VmHWM) of a process, in MB, from /proc. */
export function peakRssMb(pid: number): number {
  return Math.round(procStatusKb(pid, 'VmHWM') / 1024);
}

/** Resident memory (VmRSS) of a process now, in MB, from /proc. */
export function currentRssMb(pid: number): number {
  return Math.round(procStatusKb(pid, 'VmRSS') / 1024);
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The p-th percentile (0–100) of ascending values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One 失信被执行人 entry of legal subject number `n` (with a legal representative), as the batch API and the single POST take it. */
export function courtDebtorEntry(n: number) {
  return {
    listType: 'BL-COURT-DEBTOR',
    subject: {
      kind: 'legal',
      name: `基准测试公司${n}`,
      uscc: makeUscc(n),
      legalRepresentative: { name: '法定代表人', idNumber: makeIdNumber(n) },
    },
    reason: '有履行能力而拒不履行',
    decidedBy: '合肥市中级人民法院',
    documentNo: `（2026）皖01执基${n}号`,
    listedAt: '2026-11-01',
    region: '340100',
  };
}

/** Publishes the entries of subjects `from … from + count - 1` through the batch API, 10,000 a request. */
export async function publishCourtDebtors(
  listIngestion: ServiceProcess,
  token: string,
  from: number,
  count: number,
): Promise<void> {
  for (let b = 0; b < count; b += 10000) {
    const entries = Array.from({ length: Math.min(10000, count - b) }, (_, i) => courtDebtorEntry(from + b + i));
    const res = await fetch(`${listIngestion.url}/api/v1/lists/entries/batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ entries }),
    });
    const body = (await res.json()) as { counts?: { created: number } };
    if (res.status !== 200 || body.counts?.created !== entries.length)
      throw new Error(`publishing entries ${from + b}…: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

/** The organisations that get a task for every 失信被执行人 entry of a legal subject (the bench's entries), by code. */
export async function courtDebtorImplementers(measures: SchemaProbe): Promise<string[]> {
  const rows = await measures.query<{ code: string }>(
    `SELECT DISTINCT i.organization_code AS code FROM measures ms JOIN measure_implementers i ON i.measure_code = ms.code
     WHERE ms.list_type = 'BL-COURT-DEBTOR' AND 'legal' = ANY(ms.subject_kinds) ORDER BY 1`,
  );
  return rows.map((r) => r.code);
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  note?: string;
}

const formatValue = (f: Figure) => `${f.value.toLocaleString('en-US')} ${f.unit}`;

/** What the run measured so far: each figure is printed the moment it is recorded, so a crash loses none. */
export class Results {
  readonly figures: Figure[] = [];
  readonly summary: Record<string, unknown> = {};

  say(line: string): void {
    console.log(`[bench] ${line}`);
  }

  add(...figures: Figure[]): void {
    for (const f of figures) {
      this.figures.push(f);
      this.say(
        `» ${f.name}: ${formatValue(f)}${f.target ? ` (target ${f.target})` : ''}${f.note ? ` — ${f.note}` : ''}`,
      );
    }
  }
}

/**
 * Resident memory of every service process of the run, sampled from /proc each second and before a
 * process is stopped: the peak (VmHWM) of each service over all its processes, and the part that was
 * running when it was reached.
 */
export class MemoryWatch {
  private readonly watched: [string, ServiceProcess][] = [];
  private readonly peaks = new Map<string, { mb: number; during: string }>();
  private part = 'start-up';
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  /** Watches a process of `service` (a second replica is watched under the same service). */
  watch(service: string, process: ServiceProcess): void {
    this.watched.push([service, process]);
  }

  during(part: string): void {
    this.sample();
    this.part = part;
  }

  /** Reads the peak of every live process (call it just before stopping one). */
  sample(): void {
    for (const [service, proc] of this.watched) {
      if (!proc.pid) continue;
      let mb: number;
      try {
        mb = peakRssMb(proc.pid);
      } catch {
        continue; // exited between the check and the read
      }
      if (mb > (this.peaks.get(service)?.mb ?? 0)) this.peaks.set(service, { mb, during: this.part });
    }
  }

  /** Each service's peak over all its processes, and the part that was running when it was reached. */
  get services(): { service: string; peak: { mb: number; during: string } }[] {
    return [...this.peaks].map(([service, peak]) => ({ service, peak }));
  }

  /** Resident memory (VmRSS) of each service now, the largest of its live processes. */
  current(): Map<string, number> {
    const now = new Map<string, number>();
    for (const [service, proc] of this.watched) {
      if (proc.pid) now.set(service, Math.max(now.get(service) ?? 0, currentRssMb(proc.pid)));
    }
    return now;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Prints the figures as one table. */
export function printTable(title: string, figures: Figure[]): void {
  printRows(
    title,
    ['figure', 'value', 'target', 'note'],
    figures.map((f) => [f.name, formatValue(f), f.target ?? '', f.note ?? '']),
  );
}

/** Prints rows of text as one table under `header`. */
export function printRows(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((r) => console.log(line(r)));
  console.log('');
}
