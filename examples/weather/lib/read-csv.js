// Minimal CSV for the example's own files: a header row, comma-separated, no quoting.

/**
 * @param {string} text CSV text with a header row
 * @param {string} source where it came from, for error messages
 * @returns {{ columns: string[], rows: Record<string, string>[] }}
 */
export function readCsv(text, source) {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const header = lines[0];
  if (header === undefined || header === "") throw new Error(`${source}: empty file, expected a header row`);
  const columns = header.split(",");
  const rows = lines.slice(1).map((line, index) => {
    const cells = line.split(",");
    if (cells.length !== columns.length) {
      throw new Error(`${source}:${index + 2}: expected ${columns.length} fields, got ${cells.length}`);
    }
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
  return { columns, rows };
}

/**
 * @param {string[]} columns
 * @param {Record<string, string>[]} rows
 * @returns {string} CSV text with a header row and a trailing newline
 */
export function toCsv(columns, rows) {
  const lines = [columns.join(","), ...rows.map((row) => columns.map((column) => row[column]).join(","))];
  return `${lines.join("\n")}\n`;
}
