export * from './limits';
export * from './csv-encoding';
export {
  XlsxWorkbook,
  readFirstSheetRows,
  cellText,
  plainNumber,
  type CellRow,
  type WorksheetInfo,
} from './xlsx-reader';
export { ZipReader, ZipFormatError, ZipBoundError, type ZipEntry } from './zip-reader';
export { normalizeSpreadsheetXml, columnLetters, MAX_TEXT_RUN_CHARS, type SpreadsheetPart } from './spreadsheet-xml';
