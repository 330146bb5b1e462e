/**
 * The targets of issue 21, each a figure of the run's summary under a stable name: what
 * bench/results/*.json lists as `targets` and the run prints as its last table, met or not.
 */
export interface TargetDefinition {
  /** Stable name of the figure (bench/results/*.json `targets[].figure`). */
  figure: string;
  /** What the figure is, as the issue's targets table says it. */
  label: string;
  unit: string;
  /** `≤`: the value may be at most `limit`; `≥`: at least. */
  bound: '≤' | '≥';
  limit: number;
  /** Where the run's summary holds the value (dotted path), in `unit`, or a function of the summary. */
  from: string | ((summary: Record<string, unknown>) => number | null);
  /** The size the target speaks of (e.g. 300,000 entries): a run at a smaller size shows its value, but not as met or missed. */
  size?: { from: string; atLeast: number; what: string };
}

export interface Target {
  figure: string;
  label: string;
  /** null when the run did not measure it (its part did not run or failed before it). */
  value: number | null;
  unit: string;
  /** e.g. `≤ 300 ms` */
  target: string;
  /** null when not measured, or measured at a smaller size than the target's. */
  met: boolean | null;
  /** Why `met` is null although there is a value: the size it was measured at. */
  note?: string;
}

/** A number at a dotted path of the summary, or null. */
export function figureAt(summary: Record<string, unknown>, path: string): number | null {
  let at: unknown = summary;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return null;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

/** Whether `value` is within the bound (null: not measured). */
export function isMet(value: number | null, bound: '≤' | '≥', limit: number): boolean | null {
  if (value === null) return null;
  return bound === '≤' ? value <= limit : value >= limit;
}

/** A ratio (0.13) as the percentage the targets speak in (13), one decimal. */
const percent = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

/** The entry → task latency runs at each rate, as the latency part writes them. */
function latencyAt(summary: Record<string, unknown>, rate: number, key: 'p99Ms' | 'cpuMsPerEntry'): number | null {
  const runs = (summary.latency as { runs?: Record<string, unknown>[] } | undefined)?.runs ?? [];
  const run = runs.find((r) => r.rate === rate);
  return run ? figureAt(run, key === 'cpuMsPerEntry' ? 'cpuMsPerEntry.both' : key) : null;
}

/** The latency rates the targets speak of. */
export const LATENCY_TARGET_P99_MS: Readonly<Record<number, number>> = { 100: 300, 300: 1000 };
/** Rate at which the CPU per entry (list-ingestion + measures) is held to its target. */
export const CPU_PER_ENTRY_RATE = 100;

/** The issue's targets table, in its order. */
export const TARGETS: readonly TargetDefinition[] = [
  {
    figure: 'fanOutRatioToSlowerBaseline',
    label: 'fan-out ÷ slower raw baseline (COPY, kafkajs)',
    unit: '%',
    bound: '≥',
    limit: 35,
    from: (s) => percent(figureAt(s, 'fanOut.ratioToSlowerBaseline')),
  },
  {
    figure: 'latencyP99At100PerSecondMs',
    label: 'entry accepted → task in the stream, p99 at 100 entries/s',
    unit: 'ms',
    bound: '≤',
    limit: LATENCY_TARGET_P99_MS[100],
    from: (s) => latencyAt(s, 100, 'p99Ms'),
  },
  {
    figure: 'latencyP99At300PerSecondMs',
    label: 'entry accepted → task in the stream, p99 at 300 entries/s',
    unit: 'ms',
    bound: '≤',
    limit: LATENCY_TARGET_P99_MS[300],
    from: (s) => latencyAt(s, 300, 'p99Ms'),
  },
  {
    figure: 'cpuMsPerEntry',
    label: `CPU per entry, list-ingestion + measures (at ${CPU_PER_ENTRY_RATE} entries/s)`,
    unit: 'ms',
    bound: '≤',
    limit: 2,
    from: (s) => latencyAt(s, CPU_PER_ENTRY_RATE, 'cpuMsPerEntry'),
  },
  {
    figure: 'checkP99At500PerSecondMs',
    label: 'counter check p99 at 500 requests/s (10 % listed)',
    unit: 'ms',
    bound: '≤',
    limit: 10,
    from: 'checks.steady.p99',
  },
  {
    figure: 'highestCheckRateWithP99Within20Ms',
    label: 'highest check rate with p99 ≤ 20 ms',
    unit: 'requests/s',
    bound: '≥',
    limit: 2000,
    from: 'checks.highestRateWithP99WithinTarget',
  },
  {
    figure: 'feedbackItemsPerSecond',
    label: 'feedback writes, 8 clients',
    unit: 'items/s',
    bound: '≥',
    limit: 1000,
    from: 'feedback.writes.itemsPerSecond',
  },
  {
    figure: 'importRatioToCopyBaseline',
    label: '50,000-row CSV import ÷ the COPY baseline',
    unit: '%',
    bound: '≥',
    limit: 30,
    from: (s) => percent(figureAt(s, 'lists.importRatioToCopyBaseline')),
    size: { from: 'lists.importRows', atLeast: 50_000, what: 'rows' },
  },
  {
    figure: 'reloadSeconds',
    label: 'full reload: 300,000 entries → ~4.2 M tasks drained into the feeds',
    unit: 's',
    bound: '≤',
    limit: 600,
    from: 'reload.seconds',
    size: { from: 'reload.entries', atLeast: 300_000, what: 'entries' },
  },
  {
    figure: 'measuresIdleMbWithCheckIndex',
    label: 'measures resident when idle, the check index of 1 M subjects',
    unit: 'MB',
    bound: '≤',
    limit: 300,
    from: 'checkIndex.idleRssMb',
    size: { from: 'checkIndex.subjects', atLeast: 1_000_000, what: 'subjects' },
  },
];

/** The target text of a figure, e.g. `≤ 300 ms`. */
export function targetText(definition: Pick<TargetDefinition, 'bound' | 'limit' | 'unit'>): string {
  return `${definition.bound} ${definition.limit.toLocaleString('en-US')} ${definition.unit}`;
}

/** The definition of a target by its stable name. */
export function targetOf(figure: string): TargetDefinition {
  const found = TARGETS.find((t) => t.figure === figure);
  if (!found) throw new Error(`no target named ${figure}`);
  return found;
}

/** Every target with the run's value and whether it is met (null: not measured in this run). */
export function targetsOf(summary: Record<string, unknown>, targets: readonly TargetDefinition[] = TARGETS): Target[] {
  return targets.map((t) => {
    const value = typeof t.from === 'string' ? figureAt(summary, t.from) : t.from(summary);
    const size = t.size ? figureAt(summary, t.size.from) : null;
    const smaller = value !== null && t.size !== undefined && (size === null || size < t.size.atLeast);
    return {
      figure: t.figure,
      label: t.label,
      value,
      unit: t.unit,
      target: targetText(t),
      met: smaller ? null : isMet(value, t.bound, t.limit),
      ...(smaller ? { note: `at ${size?.toLocaleString('en-US') ?? 'an unknown number of'} ${t.size!.what}` } : {}),
    };
  });
}
