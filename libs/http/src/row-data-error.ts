/**
 * A database error caused by one row's data rather than by the database itself: a data exception
 * (SQLSTATE class 22: a value out of range, an invalid encoding, a string too long …), an integrity
 * constraint (23: a check, a not-null) or a program limit (54: an index row too large). Connection
 * failures, shutdowns and conflicts are not: the caller retries those as it always did.
 */
export function isRowDataError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && /^(22|23|54)/.test(code);
}

/** The reason a row the database refused is rejected with, in Chinese with the SQLSTATE (no value of the row). */
export function rowDataErrorMessage(error: unknown): string {
  return `数据库拒绝保存该行，请检查各项内容 (the database refused this row: SQLSTATE ${sqlState(error) ?? 'unknown'})`;
}

export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
