export type CsvEncoding = 'utf8' | 'gb18030';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Picks the encoding of an uploaded CSV (list-ingestion's imports, measures' batch checks) from its
 * first bytes. Chinese Excel saves "CSV (逗号分隔)" in the ANSI code page (GBK, which GB18030 contains)
 * and "CSV UTF-8" with a BOM; WPS and scripts write UTF-8 without one. The sample is UTF-8 when it
 * decodes strictly as UTF-8 (a BOM or pure ASCII included); otherwise GB18030.
 *
 * A sample is usually a prefix of the file cut at an arbitrary byte, so an incomplete multi-byte
 * sequence at its very end is not held against it: the streaming decode leaves it pending instead
 * of failing. `whole`: the sample is the whole file, which a UTF-8 file does not end inside a
 * character of. An invalid byte anywhere else (GBK lead bytes 0x81–0xFE followed by 0x40–0xFE
 * trail bytes, overlong forms, surrogates) makes it GB18030.
 */
export function detectCsvEncoding(sample: Buffer, { whole = false }: { whole?: boolean } = {}): CsvEncoding {
  if (sample.length >= 3 && sample.subarray(0, 3).equals(UTF8_BOM)) return 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !whole });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** UTF-16 (what Excel's "Unicode 文本" writes) is not supported: recognised by its BOM. */
export function hasUtf16Bom(sample: Buffer): boolean {
  return (
    sample.length >= 2 && ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))
  );
}
