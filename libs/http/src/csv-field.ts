/**
 * One CSV field, the only way jrp writes one. Quoted when it holds a comma, quote, CR or LF (quotes
 * doubled, RFC 4180); a cell starting with = + - @ (or tab / CR, which Excel also strips before
 * evaluating) gets a leading single quote so a spreadsheet shows it as text instead of running it as a
 * formula (CSV injection).
 */
export function csvField(value: string | number | undefined | null): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
