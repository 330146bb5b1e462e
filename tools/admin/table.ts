const WIDE_RANGES = [
  [0x1100, 0x115f],
  [0x2e80, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

/** Columns a terminal shows: East Asian wide characters (汉字, full-width forms) take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide = WIDE_RANGES.some(([low, high]) => code >= low && code <= high);
    width += wide ? 2 : 1;
  }
  return width;
}

/** Rows under their titles, columns two spaces apart, each as wide as its widest cell. */
export function formatTable(titles: string[], rows: string[][]): string {
  const widths = titles.map((title, column) =>
    Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[column]))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell + ' '.repeat(widths[column] - displayWidth(cell)))
      .join('  ')
      .trimEnd();
  return [line(titles), ...rows.map(line)].join('\n');
}
