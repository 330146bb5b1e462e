import { BadRequestException } from '@nestjs/common';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The format asked for: `format=` when given, else the Accept header (CSV or XLSX when it names one), else JSON. */
export function formatOf(query: string | undefined, accept: string | undefined): ReportFormat {
  if (query !== undefined) {
    if (!(REPORT_FORMATS as readonly string[]).includes(query)) {
      throw new BadRequestException({
        detail: 'unknown format',
        errors: [{ field: 'format', message: 'must be one of json, csv, xlsx' }],
      });
    }
    return query as ReportFormat;
  }
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  if (types.includes(XLSX_TYPE)) return 'xlsx';
  if (types.includes('text/csv')) return 'csv';
  return 'json';
}
