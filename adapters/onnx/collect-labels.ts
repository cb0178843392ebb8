import type { TableBatch } from "../data/table-batch.ts";

/**
 * Category labels as compact codes: each distinct value gets the next code in order of first
 * appearance, so a million rows of labels cost 4 MB, not a million string references.
 */
export function collectCategoryLabels(onNewLabel?: (value: string, row: number) => void) {
  const codeOf = new Map<string, number>();
  const values: string[] = [];
  const firstRows: number[] = [];
  const chunks: Int32Array[] = [];
  return {
    add(batch: TableBatch): void {
      const codes = new Int32Array(batch.rows);
      const labels = batch.labels as readonly (string | number | null)[];
      for (let i = 0; i < batch.rows; i++) {
        const value = String(labels[i]);
        let code = codeOf.get(value);
        if (code === undefined) {
          const row = batch.rowOffset + i + 1;
          onNewLabel?.(value, row);
          code = values.length;
          codeOf.set(value, code);
          values.push(value);
          firstRows.push(row);
        }
        codes[i] = code;
      }
      chunks.push(codes);
    },
    /** Codes of every row, the distinct values, and the 1-based row where each first appears. */
    finish(): { codes: Int32Array; values: string[]; firstRows: number[] } {
      const codes = new Int32Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
      let offset = 0;
      for (const chunk of chunks) {
        codes.set(chunk, offset);
        offset += chunk.length;
      }
      return { codes, values, firstRows };
    },
  };
}
