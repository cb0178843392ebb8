/**
 * Column names from the first bytes of a CSV or JSON Lines file, for `modelci validate`: no more
 * than the header line is read. Returns undefined when the bytes hold no whole header line (a
 * header longer than the bytes read, or a file that is not text of that format): then nothing is
 * checked, and the readers report the problem when the file is read.
 */
export function readHeaderNames(
  head: Uint8Array,
  format: "csv" | "jsonl",
  complete: boolean,
): string[] | undefined {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head).replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  // The last piece may be cut short, unless the bytes are the whole file.
  const whole = complete ? lines : lines.slice(0, -1);
  const line = whole.find((candidate) => candidate.trim() !== "");
  if (line === undefined) return undefined;
  if (format === "jsonl") {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
      return Object.keys(value);
    } catch {
      return undefined;
    }
  }
  return splitCsvLine(line);
}

/** One CSV line's cells; quoted cells may hold commas and doubled quotes. */
function splitCsvLine(line: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += line[i];
        i++;
      }
    } else {
      while (i < line.length && line[i] !== ",") cell += line[i++];
    }
    cells.push(cell.trim());
    if (i >= line.length) return cells;
    if (line[i] !== ",") return undefined;
    i++;
  }
}
