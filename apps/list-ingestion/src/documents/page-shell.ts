/**
 * The printable page every document of list-ingestion shares (决定书: the listing decision, the repair
 * decision …): an A4 page in Chinese, its title, the body the document renders. Every value put into a
 * page goes through `escapeHtml`; `htmlPage` escapes the title itself and takes the body as HTML.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A value as HTML text: `& < > " '` escaped (null and undefined as empty). */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A section with its heading and paragraphs (each escaped; line breaks kept). */
export function section(heading: string, paragraphs: (string | null | undefined)[]): string {
  const body = paragraphs
    .filter((p): p is string => p !== null && p !== undefined && p !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<section>\n<h2>${escapeHtml(heading)}</h2>\n${body || '<p>无</p>'}\n</section>`;
}

/** A section with its heading (escaped) and a body already rendered as HTML (its values escaped by the caller). */
export function sectionHtml(heading: string, html: string): string {
  return `<section>\n<h2>${escapeHtml(heading)}</h2>\n${html}\n</section>`;
}

/** A table of label/value rows (both escaped). */
export function factTable(rows: [string, string | null | undefined][]): string {
  return `<table class="facts">\n${rows
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('\n')}\n</table>`;
}

const STYLE = `@page { size: A4; margin: 25mm 20mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.7; max-width: 170mm; margin: 0 auto; color: #000; }
h1 { text-align: center; font-size: 20pt; margin: 0 0 4pt; }
.document-no { text-align: center; margin: 0 0 18pt; }
h2 { font-size: 14pt; margin: 14pt 0 4pt; }
table.facts { border-collapse: collapse; width: 100%; }
table.facts th, table.facts td { border: 1px solid #000; padding: 3pt 6pt; text-align: left; vertical-align: top; }
table.facts th { width: 28%; font-weight: normal; background: #f3f3f3; }
ol.measures { margin: 0; padding-left: 20pt; }
.signature { text-align: right; margin-top: 28pt; }
@media print { .no-print { display: none; } }`;

/** A complete HTML page: title (escaped), an optional document number (escaped), the body (HTML). */
export function htmlPage(title: string, documentNo: string | null, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${documentNo ? `<p class="document-no">${escapeHtml(documentNo)}</p>` : ''}
${body}
</body>
</html>
`;
}
