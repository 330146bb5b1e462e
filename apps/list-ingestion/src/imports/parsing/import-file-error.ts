export type ImportFileErrorCode =
  | 'INVALID_FILE'
  | 'UNSUPPORTED_ENCODING'
  | 'MALFORMED_CSV'
  | 'TOO_LARGE'
  | 'NO_HEADER'
  | 'MISSING_COLUMNS'
  | 'DUPLICATE_COLUMNS';

/**
 * A problem with the file as a whole (not with one row): the import is refused and the message,
 * in Chinese, is shown to the uploader as is. `code` is for programs; `headers` lists the Chinese
 * headers concerned (MISSING_COLUMNS, DUPLICATE_COLUMNS).
 */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';

  constructor(
    message: string,
    readonly code: ImportFileErrorCode,
    readonly headers: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
