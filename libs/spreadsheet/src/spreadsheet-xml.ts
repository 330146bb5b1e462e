const MAIN_NAMESPACE = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
import { SpreadsheetError } from './limits';

/** A block kept whole for rewriting is given up on (passed through as is) beyond this size. */
const MAX_BLOCK_CHARS = 4 * 1024 * 1024;
/**
 * Text without markup is held until the next '<': refused beyond this many characters (a cell holds at
 * most 32,767; a part of nothing but text would otherwise be held whole in memory).
 */
export const MAX_TEXT_RUN_CHARS = 16 * 1024 * 1024;

export type SpreadsheetPart = 'worksheet' | 'sharedStrings' | 'other';

/**
 * Rewrites SpreadsheetML on the fly into the shape exceljs 4.4.0's streaming parsers handle, chunk
 * by chunk. Each chunk is cut before its last '<' (which always starts markup: '<' cannot occur in
 * text or attribute values), and never inside an element listed below as a block, so every
 * rewrite sees whole tags.
 *
 * - A prefixed main namespace (`<x:row>`, as some OpenXML SDK producers write) loses its prefix:
 *   exceljs matches bare element names only.
 * - Worksheets: rows and cells without the optional `r` attribute get one, numbered after the
 *   previous row / cell (exceljs fails with "Invalid Address: ANaN" otherwise).
 * - Worksheets: an inline rich string `<is><r><t>甲</t></r><r><t>乙</t></r></is>` becomes one
 *   `<t>甲乙</t>` (exceljs keeps only the last run's text).
 * - Shared strings: phonetic runs `<rPh>…</rPh>` are dropped (exceljs would take the phonetic
 *   reading for the string's text when the string has no rich-text runs).
 */
export async function* normalizeSpreadsheetXml(
  source: AsyncIterable<string>,
  part: SpreadsheetPart = 'other',
): AsyncGenerator<string> {
  const block = part === 'worksheet' ? 'is' : part === 'sharedStrings' ? 'rPh' : null;
  const blockOpen = block ? new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${block}(?:\\s[^>]*?)?(?<!/)>`, 'g') : null;
  const blockClose = block ? new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${block}>`, 'g') : null;

  let prefix: RegExp | null | undefined; // undefined: not determined yet
  let scanned = 0;
  let row = 0;
  let col = 0;

  const fix = (text: string): string => {
    if (prefix === undefined) {
      const m = new RegExp(`xmlns:([A-Za-z_][\\w.-]*)=["']${MAIN_NAMESPACE}["']`).exec(text);
      if (m) prefix = new RegExp(`<(/?)${m[1]}:`, 'g');
      else if ((scanned += text.length) > 64 * 1024 || new RegExp(`xmlns=["']${MAIN_NAMESPACE}["']`).test(text))
        prefix = null;
    }
    if (prefix) text = text.replace(prefix, '<$1');
    if (part === 'sharedStrings') return text.replace(/<rPh[\s>][\s\S]*?<\/rPh>/g, '');
    if (part !== 'worksheet') return text;
    text = text.replace(/<(row|c)((?:\s[^>]*?)?)(\/?)>/g, (tag: string, name: string, attrs: string, close: string) => {
      if (name === 'row') {
        const r = /\sr=["'](\d+)["']/.exec(attrs);
        row = r ? Number(r[1]) : row + 1;
        col = 0;
        return r ? tag : `<row r="${row}"${attrs}${close}>`;
      }
      const r = /\sr=["']([A-Za-z]+)\d+["']/.exec(attrs);
      if (r) {
        col = columnNumber(r[1]);
        return tag;
      }
      col++;
      return `<c r="${columnLetters(col)}${row}"${attrs}${close}>`;
    });
    return text.replace(/<is(\s[^>]*?)?(?<!\/)>([\s\S]*?)<\/is>/g, (whole: string, _attrs: string, inner: string) => {
      const runs = [...inner.replace(/<rPh[\s>][\s\S]*?<\/rPh>/g, '').matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)];
      if (runs.length <= 1 && !/<rPh[\s>]/.test(inner)) return whole;
      return `<is><t xml:space="preserve">${runs.map((m) => m[1]).join('')}</t></is>`;
    });
  };

  let pending = '';
  for await (const chunk of source) {
    pending += chunk;
    let cut = pending.lastIndexOf('<');
    if (cut > 0 && blockOpen && blockClose) {
      const open = lastMatch(blockOpen, pending, cut);
      const close = lastMatch(blockClose, pending, cut);
      if (open > close && cut - open < MAX_BLOCK_CHARS) cut = open; // keep the open block for the next round
    }
    if (cut <= 0) {
      if (pending.length > MAX_TEXT_RUN_CHARS)
        throw new SpreadsheetError('文件内容异常：一段文字过长（超过 1600 万字符），无法导入', 'TOO_LARGE');
      continue;
    }
    yield fix(pending.slice(0, cut));
    pending = pending.slice(cut);
  }
  if (pending) yield fix(pending);
}

function lastMatch(re: RegExp, text: string, before: number): number {
  re.lastIndex = 0;
  let at = -1;
  for (let m = re.exec(text); m && m.index < before; m = re.exec(text)) at = m.index;
  return at;
}

export function columnLetters(n: number): string {
  let s = '';
  for (let v = n; v > 0; v = Math.floor((v - 1) / 26)) s = String.fromCharCode(65 + ((v - 1) % 26)) + s;
  return s;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
