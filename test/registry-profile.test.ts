import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadParquetCompressors } from "../adapters/data/load-parquet-compressors.ts";
import { csvCell, readTableCells, readTableColumnNames } from "../adapters/data/read-table-cells.ts";
import { type CsvRecord, CsvRecordSplitter } from "../adapters/data/split-csv-records.ts";
import { type CellBatch, profileTable, TableProfiler } from "../core/registry/profile-table.ts";
import { binEdges, histogram, quantilesOf } from "../core/registry/summarize-numbers.ts";
import { profileSchema } from "../schemas/version.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "modelci-profile-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const one = (values: CellBatch["values"]): CellBatch[] => [{ rows: values[0]?.length ?? 0, values }];

describe("profileTable", () => {
  it("profiles a numeric column: exact moments, numpy-style deciles and a 10-bin histogram", () => {
    const values = [3, 1, 2, 10, 4, 5, 6, null, 7, 8, 9];
    const profile = profileTable(["x"], one([values]));
    expect(profileSchema.parse(profile)).toEqual(profile);
    const x = profile.features.x;
    // numpy: np.quantile([1..10], np.linspace(0, 1, 11)) = 1, 1.9, 2.8, …, 10; np.std = 2.8722813232690143
    expect(x).toEqual({
      kind: "numeric",
      count: 10,
      missing: 1,
      min: 1,
      max: 10,
      mean: 5.5,
      std: 2.87228132327,
      quantiles: [1, 1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1, 10],
      bins: {
        edges: [1, 1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1, 10],
        counts: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      },
    });
    expect(profile.rows).toBe(11);
  });

  it("gives the same profile whatever the batches, so it streams", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 100 + (i % 7 === 0 ? 1e-9 : 0));
    const cs = Array.from({ length: 1000 }, (_, i) => (i % 11 === 0 ? null : `c${i % 60}`));
    const whole = profileTable(["x", "c"], one([xs, cs]));
    const profiler = new TableProfiler(["x", "c"]);
    for (let start = 0; start < 1000; start += 37) {
      const end = Math.min(1000, start + 37);
      profiler.add({ rows: end - start, values: [xs.slice(start, end), cs.slice(start, end)] });
    }
    expect(profiler.finish()).toEqual(whole);
    const x = whole.features.x;
    if (x?.kind !== "numeric") throw new Error("numeric expected");
    expect(x.bins.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(x.bins.edges).toHaveLength(11);
  });

  it("keeps the 50 most frequent categories and sums the rest under __other__", () => {
    const cells: string[] = [];
    for (let c = 0; c < 60; c++) for (let n = 0; n <= c; n++) cells.push(`k${String(c).padStart(2, "0")}`);
    const profile = profileTable(["c"], one([cells]));
    const c = profile.features.c;
    if (c?.kind !== "categorical") throw new Error("categorical expected");
    expect(Object.keys(c.frequencies)).toHaveLength(51);
    expect(c.frequencies.k59).toBe(60);
    expect(c.frequencies.k10).toBe(11);
    expect(c.frequencies.k09).toBeUndefined();
    expect(c.frequencies.__other__).toBe(55); // 1 + 2 + … + 10
    expect(c.count).toBe(cells.length);
  });

  it("turns a column with any string into a categorical one, numbers counted by their text", () => {
    const profile = profileTable(["m"], one([[1, 2, 2, "x", 2, null]]));
    expect(profile.features.m).toEqual({
      kind: "categorical",
      count: 5,
      missing: 1,
      frequencies: { "2": 3, "1": 1, x: 1 },
    });
  });

  it("handles empty and constant columns, and category names such as __proto__", () => {
    const profile = profileTable(
      ["empty", "flat", "odd"],
      one([
        [null, null],
        [4, 4],
        ["__proto__", "constructor"],
      ]),
    );
    expect(profile.features.empty).toEqual({ kind: "categorical", count: 0, missing: 2, frequencies: {} });
    expect(profile.features.flat).toMatchObject({
      kind: "numeric",
      std: 0,
      bins: { edges: [4, 4], counts: [2] },
    });
    const odd = profile.features.odd;
    if (odd?.kind !== "categorical") throw new Error("categorical expected");
    expect(Object.getPrototypeOf(odd.frequencies)).toBe(Object.prototype);
    expect(Object.entries(odd.frequencies)).toEqual([
      ["__proto__", 1],
      ["constructor", 1],
    ]);
    expect(profileSchema.safeParse(profile).success).toBe(true);
  });

  it("past maxValues, takes deciles and histogram from a seeded reservoir sample; moments stay exact", () => {
    const xs = Array.from({ length: 5000 }, (_, i) => i);
    const options = { maxValues: 500 };
    const a = profileTable(["x"], one([xs]), options);
    const b = profileTable(["x"], one([xs]), options);
    expect(a).toEqual(b);
    const x = a.features.x;
    if (x?.kind !== "numeric") throw new Error("numeric expected");
    expect([x.count, x.min, x.max, x.mean]).toEqual([5000, 0, 4999, 2499.5]);
    expect(x.bins.counts.reduce((s, n) => s + n, 0)).toBe(500);
    expect(x.quantiles[0]).toBe(0);
    expect(x.quantiles[10]).toBe(4999);
    expect(Math.abs((x.quantiles[5] as number) - 2499.5)).toBeLessThan(400);
  });
});

describe("histogram helpers", () => {
  it("puts each value in [edge, next edge), the last bin closed", () => {
    const edges = binEdges(0, 1, 10);
    expect(edges).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    const counts = histogram(Float64Array.from([0, 0.1, 0.3, 0.30000000000000004, 0.7, 0.9999, 1]), edges);
    expect(counts).toEqual([1, 1, 0, 2, 0, 0, 0, 1, 0, 2]);
    expect(quantilesOf(Float64Array.from([5]), [0, 0.5, 1])).toEqual([5, 5, 5]);
  });
});

describe("CSV cells", () => {
  const text = '\uFEFFa,b,"c, d"\r\n1,"two\nlines","say ""hi"""\r\n\r\n,NA,3.5\n4,x,\n';

  function split(chunks: string[]): CsvRecord[] {
    const splitter = new CsvRecordSplitter("t.csv");
    const out: CsvRecord[] = [];
    for (const chunk of chunks) splitter.push(chunk, out);
    splitter.end(out);
    return out;
  }

  it("splits RFC 4180 records, wherever the chunks cut", () => {
    const expected = [
      { line: 1, fields: ["a", "b", "c, d"] },
      { line: 2, fields: ["1", "two\nlines", 'say "hi"'] },
      { line: 5, fields: ["", "NA", "3.5"] },
      { line: 6, fields: ["4", "x", ""] },
    ];
    expect(split([text])).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) {
      expect(split([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(expected);
    }
    expect(split(["a,b\n1,2"])).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
    ]);
    expect(() => split(['a\n"open'])).toThrow("t.csv:2:1: quoted field is not closed");
    expect(() => split(['"a"b\n'])).toThrow("t.csv:1:1: unexpected character after a closing quote");
  });

  it("reads numbers as numbers, text as strings and the missing values every reader shares as missing", () => {
    expect([
      csvCell("1.5"),
      csvCell(" 2 "),
      csvCell(""),
      csvCell("NaN"),
      csvCell(" NA "),
      csvCell("null"),
      csvCell("n/a"),
      csvCell("rain"),
    ]).toEqual([1.5, 2, null, null, null, null, "n/a", "rain"]);
  });

  it("streams CSV and JSON Lines tables as cells, a missing column as missing values", async () => {
    const csv = join(dir, "t.csv");
    await writeFile(csv, text);
    expect(await readTableColumnNames(csv)).toEqual(["a", "b", "c, d"]);
    const batches = [];
    for await (const batch of readTableCells(csv, ["c, d", "a", "nope"])) batches.push(batch);
    expect(batches).toEqual([
      {
        rows: 3,
        values: [
          ['say "hi"', 3.5, null],
          [1, null, 4],
          [null, null, null],
        ],
      },
    ]);
    const jsonl = join(dir, "t.jsonl");
    await writeFile(jsonl, '{"x":1,"s":"a","b":true}\n\n{"x":null,"s":"1.5","o":{"k":1}}\n{"x":2.5}\n');
    expect(await readTableColumnNames(jsonl)).toEqual(["x", "s", "b"]);
    const cells = [];
    for await (const batch of readTableCells(jsonl, ["x", "s", "b"])) cells.push(batch);
    expect(cells).toEqual([
      {
        rows: 3,
        values: [
          [1, null, 2.5],
          ["a", "1.5", null],
          ["true", null, null],
        ],
      },
    ]);
    const bad = join(dir, "bad.csv");
    await writeFile(bad, "a,b\n1,2\n3\n");
    await expect(async () => {
      for await (const _ of readTableCells(bad, ["a"])) void _;
    }).rejects.toThrow("bad.csv:3:1: expected 2 fields, found 1");
  });

  it("reads a real Parquet file's string and number columns as hyparquet decodes them", async () => {
    const path = "node_modules/vega-datasets/data/flights-3m.parquet";
    const columns = await readTableColumnNames(path);
    expect(columns).toEqual(expect.arrayContaining(["origin", "delay"]));
    const cells = readTableCells(path, ["origin", "delay"]);
    const first = await cells.next();
    await cells.return(undefined);
    if (first.done) throw new Error("no rows");
    const { rows, values } = first.value;
    const file = await asyncBufferFromFile(path);
    const compressors = await loadParquetCompressors();
    const expected = await parquetReadObjects({
      file,
      compressors,
      columns: ["origin", "delay"],
      rowEnd: rows,
    });
    expect(values[0]).toEqual(expected.map((row) => row.origin));
    expect(values[1]).toEqual(expected.map((row) => Number(row.delay)));
    expect(typeof values[0]?.[0]).toBe("string");
  });
});
