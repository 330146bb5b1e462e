/** How a column's values are written: text, a count, a rate (a fraction shown as a percentage), a date or a time. */
export type ColumnKind = 'text' | 'count' | 'rate' | 'date' | 'datetime';

export interface ReportColumn {
  key: string;
  /** Chinese header (表头). */
  header: string;
  kind: ColumnKind;
}

/**
 * A report as every format shows it: a title, the period, when it was generated, columns with Chinese
 * headers, rows and (optionally) a totals row. JSON, CSV and XLSX are renderings of the same table.
 */
export interface ReportTable {
  title: string;
  /** The report's file name, without extension. */
  name: string;
  period: { from: string | null; to: string | null };
  generatedAt: Date;
  columns: ReportColumn[];
  rows: Record<string, unknown>[];
  totals?: Record<string, unknown>;
  /** Anything else the JSON rendering carries (targets, summaries). */
  extra?: Record<string, unknown>;
}

export const periodLabel = (p: ReportTable['period']): string =>
  p.from || p.to ? `统计期间：${p.from ?? '不限'} 至 ${p.to ?? '不限'}` : '统计期间：全部';

/** 2026-11-30T01:02:03Z → 2026-11-30 09:02:03 (Asia/Shanghai). */
export function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

export const generatedLabel = (at: Date): string => `生成时间：${shanghaiTime(at)}`;

/** The JSON rendering: the table, with the headers as a map. */
export function tableToJson(t: ReportTable) {
  return {
    title: t.title,
    period: t.period,
    generatedAt: t.generatedAt.toISOString(),
    columns: Object.fromEntries(t.columns.map((c) => [c.key, c.header])),
    items: t.rows,
    ...(t.totals ? { totals: t.totals } : {}),
    ...(t.extra ?? {}),
  };
}
