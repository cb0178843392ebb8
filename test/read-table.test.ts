import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canDecompress, loadParquetCompressors } from "../adapters/data/load-parquet-compressors.ts";
import { CsvTableParser } from "../adapters/data/parse-csv-rows.ts";
import { JsonlTableParser } from "../adapters/data/parse-jsonl-rows.ts";
import {
  type ReadTableOptions,
  readTable,
  readTableHeader,
  type TableBatch,
} from "../adapters/data/read-table.ts";
import { streamTextTable } from "../adapters/data/stream-text-table.ts";
import { isMissingValue } from "../core/data/missing-values.ts";
import { UserError } from "../core/errors.ts";
import { type ParquetColumn, writeParquet } from "./helpers/write-parquet-v1.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "modelci-read-table-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function readAll(options: ReadTableOptions): Promise<TableBatch[]> {
  const batches: TableBatch[] = [];
  for await (const batch of readTable(options)) batches.push(batch);
  return batches;
}

/** The one-line error that reading `content` as `name` gives, with the temp folder taken out. */
async function errorOf(name: string, content: string | Uint8Array, options: Partial<ReadTableOptions> = {}) {
  const path = await file(name, content);
  const error = await readAll({ path, label: "label", labelKind: "category", ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).message.replace(`${dir}/`, "");
}

const TEN_ROWS = Array.from({ length: 10 }, (_, i) => ({ a: i, b: i / 4, label: `c${i % 3}` }));

describe("CSV", () => {
  it("reads RFC 4180: BOM, quoted names and cells, escaped quotes, CRLF, line breaks in quotes", async () => {
    const path = await file(
      "rfc.csv",
      '\uFEFF"x ""1""",y,label\r\n1.5,-2e-3,"a, ""b"""\r\n"3",4,"two\r\nlines"\r\n\r\n.5,+6,z',
    );
    expect(await readTableHeader(path)).toEqual({ columns: ['x "1"', "y", "label"], format: "csv" });
    const [batch, ...rest] = await readAll({ path, label: "label", labelKind: "category" });
    expect(rest).toEqual([]);
    expect(batch).toEqual({
      rowOffset: 0,
      rows: 3,
      features: Float32Array.from([1.5, -2e-3, 3, 4, 0.5, 6]),
      labels: ['a, "b"', "two\r\nlines", "z"],
    });
  });

  it("orders features as asked and skips other columns; number labels are exact doubles", async () => {
    const path = await file("order.csv", "id,a,b,y\nq,1,2,0.1\nr,3,4,123456789.123456789\n");
    const [batch] = await readAll({ path, label: "y", features: ["b", "a"], labelKind: "number" });
    expect(batch?.features).toEqual(Float32Array.from([2, 1, 4, 3]));
    expect(batch?.labels).toEqual(Float64Array.from([0.1, Number("123456789.123456789")]));
  });

  it("parses numbers exactly as Number() does, through both the fast and the slow path", async () => {
    const texts = [
      "0",
      "-0.0",
      "7",
      "1e22",
      "1e-22",
      "2.5E+3",
      "12345678901234567890",
      "0.1234567890123456789",
      " 42 ",
    ];
    const path = await file("numbers.csv", `x,label\n${texts.map((t) => `${t},n`).join("\n")}\n`);
    const [batch] = await readAll({ path, label: "label", labelKind: "category" });
    expect(batch?.features).toEqual(Float32Array.from(texts.map(Number)));
  });

  it("carries rows across 1 MiB read chunks, quoted line breaks included", async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => [
      i * 0.25,
      -i - 1,
      i % 7 === 0 ? `"l\r\n${i}"` : `k${i % 5}`,
    ]);
    const path = await file("big.csv", `a,b,label\r\n${rows.map((r) => r.join(",")).join("\r\n")}\r\n`);
    const batches = await readAll({ path, label: "label", labelKind: "category", batchRows: 7_000 });
    expect(batches.map((b) => b.rows)).toEqual([...Array(8).fill(7_000), 4_000]);
    const features = batches.flatMap((b) => [...b.features]);
    const labels = batches.flatMap((b) => b.labels as string[]);
    expect(features).toEqual(rows.flatMap((r) => [r[0], r[1]]));
    expect(labels).toEqual(rows.map((r) => String(r[2]).replaceAll('"', "")));
  });

  it.each([
    [
      "a,b,label\n1,2,x\n3,,y\n",
      `bad.csv:3:3: column "b": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    ],
    ["a,b,label\n1,abc,x\n", 'bad.csv:2:3: column "b": expected a number, got "abc"'],
    [
      "a,b,label\n1,NaN,x\n",
      `bad.csv:2:3: column "b": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    ],
    ["a,b,label\n1,Infinity,x\n", 'bad.csv:2:3: column "b": expected a number, got "Infinity"'],
    ["a,b,label\n1,1e39,x\n", 'bad.csv:2:3: column "b": number 1e39 is out of range'],
    [
      'a,b,label\n1,"",x\n',
      `bad.csv:2:3: column "b": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    ],
    [
      "a,b,label\n1,2,\n",
      `bad.csv:2:5: column "label": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    ],
    ["a,b,label\r\n1,2\r\n", "bad.csv:2:4: expected 3 fields, found 2"],
    ["a,b,label\n1,2,x,9\n", "bad.csv:2:6: expected 3 fields, found more"],
    ['a,b,label\n1,2,"x\n', "bad.csv:2:5: quoted field is not closed"],
    ['a,b,label\n1,2,"x"y\n', "bad.csv:2:8: unexpected character after a closing quote"],
    ['label,a\n"multi\nline",2\n"é",oops\n', 'bad.csv:4:5: column "a": expected a number, got "oops"'],
    ["", "bad.csv:1:1: empty file, expected a header line with column names"],
    ["a,b,labels\n", 'bad.csv: no label column "label" (did you mean "labels"?); columns: a, b, labels'],
  ])("rejects %j", async (content, message) => {
    expect(await errorOf("bad.csv", content)).toBe(message);
  });

  it("names the column of a bad number label and of a bad feature list", async () => {
    expect(await errorOf("y.csv", "a,label\n1,cat\n", { labelKind: "number" })).toBe(
      'y.csv:2:3: column "label": expected a number, got "cat"',
    );
    expect(await errorOf("f.csv", "wind,rain,label\n1,2,x\n", { features: ["wnd"] })).toBe(
      'f.csv: no feature column "wnd" (did you mean "wind"?); columns: wind, rain, label',
    );
    expect(await errorOf("l.csv", "a,label\n1,x\n", { features: ["a", "label"] })).toBe(
      'l.csv: column "label" is the label, not a feature',
    );
  });
});

describe("JSON Lines", () => {
  it("reads objects in any key order, skips other values, reads booleans as 1/0", async () => {
    const lines = [
      '{"a": 1.5, "b": true, "label": "x", "skip": [1, {"s": "}]"}]}',
      "",
      '{"label": 3, "skip": null, "b": false, "a": -2}\r',
      '{"l\\u0061bel": "\\"q\\"", "b": 1e2, "a": 0, "extra": "ignored"}',
    ];
    const path = await file("rows.jsonl", `${lines.join("\n")}\n`);
    expect(await readTableHeader(path)).toEqual({ columns: ["a", "b", "label", "skip"], format: "jsonl" });
    const [batch] = await readAll({ path, label: "label", features: ["a", "b"], labelKind: "category" });
    expect(batch).toEqual({
      rowOffset: 0,
      rows: 3,
      features: Float32Array.from([1.5, 1, -2, 0, 0, 100]),
      labels: ["x", "3", '"q"'],
    });
  });

  it.each([
    ['{"a": "1.5", "label": "x"}', 'bad.ndjson:1:7: column "a": expected a number, got string "1.5"'],
    [
      '{"a": null, "label": "x"}',
      `bad.ndjson:1:7: column "a": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    ],
    ['{"a": NaN, "label": "x"}', 'bad.ndjson:1:7: column "a": expected a number, got "NaN"'],
    ['{"a": [1], "label": "x"}', 'bad.ndjson:1:7: column "a": expected a number, got an array'],
    [
      '{"a": 1, "label": ""}',
      `bad.ndjson:1:19: column "label": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    ],
    [
      '{"a": 1, "label": "x"}\n\n{"label": "y"}',
      `bad.ndjson:3:1: column "a": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    ],
    [
      '{"a": 1, "label": "x"}\n{"a": 1 "label": "y"}',
      'bad.ndjson:2:9: invalid JSON: expected "," or "}" after a value',
    ],
    ['{"a": 1, "label": "x"}\n[1, 2]', "bad.ndjson:2:1: invalid JSON: expected a JSON object"],
    ['{"a": 1, "label": "x"} 7', "bad.ndjson:1:24: invalid JSON: unexpected text after the object"],
    ["", "bad.ndjson:1:1: no rows, expected one JSON object per line"],
  ])("rejects %j", async (content, message) => {
    expect(await errorOf("bad.ndjson", content)).toBe(message);
  });
});

describe("chunk boundaries", () => {
  const csv =
    '\uFEFF"x ""1""",y,label\r\n1.5,-2e-3,"a, ""b"""\r\n"3",4,"two\r\nlines"\r\n\r\n.5,+6,zé\r\n7,8,é';
  const jsonl =
    '{"a": 1.5, "b": true, "label": "x"}\r\n\n{"label": "é\\"", "b": -2e-3, "a": 7}\n{"b":0,"a":1,"label":3}';
  const options = { label: "label", labelKind: "category", batchRows: 2 } as const;

  async function* split(bytes: Buffer, size: number) {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  it.each([
    ["csv", csv, () => new CsvTableParser("t.csv", options), ['a, "b"', "two\r\nlines", "zé", "é"]],
    ["jsonl", jsonl, () => new JsonlTableParser("t.jsonl", options), ["x", 'é"', "3"]],
  ])("gives the same batches for %s whatever the chunk size", async (_, text, parser, labels) => {
    const collect = async (size: number) => {
      const batches: TableBatch[] = [];
      for await (const batch of streamTextTable(split(Buffer.from(text), size), parser()))
        batches.push(batch);
      return batches;
    };
    const whole = await collect(1 << 20);
    expect(whole.flatMap((b) => b.labels as string[])).toEqual(labels);
    for (const size of [1, 2, 3, 5, 8]) expect(await collect(size)).toEqual(whole);
  });
});

describe("batching", () => {
  const csv = `a,b,label\n${TEN_ROWS.map((r) => `${r.a},${r.b},${r.label}`).join("\n")}\n`;
  const jsonl = TEN_ROWS.map((r) => JSON.stringify(r)).join("\n");

  it.each([
    ["ten.csv", csv],
    ["ten.jsonl", jsonl],
  ])("splits %s into full batches of batchRows and a last short one", async (name, content) => {
    const path = await file(name, content);
    const batches = await readAll({ path, label: "label", labelKind: "category", batchRows: 3 });
    expect(batches.map((b) => [b.rowOffset, b.rows])).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
      [9, 1],
    ]);
    expect(batches[3]).toEqual({
      rowOffset: 9,
      rows: 1,
      features: Float32Array.from([9, 2.25]),
      labels: ["c0"],
    });
    expect(batches.flatMap((b) => b.labels as string[])).toEqual(TEN_ROWS.map((r) => r.label));
  });

  it("reads a header-only file as no batches, and rejects a bad batch size", async () => {
    expect(
      await readAll({ path: await file("empty.csv", "a,label\r\n"), label: "label", labelKind: "number" }),
    ).toEqual([]);
    expect(await errorOf("ten.csv", csv, { batchRows: 0 })).toBe(
      "batch size must be a positive integer, got 0",
    );
  });

  it("rejects unknown extensions and missing files with one line", async () => {
    expect(await errorOf("data.txt", "a")).toBe(
      'data.txt: unknown data file type ".txt"; expected .csv, .jsonl, .ndjson or .parquet',
    );
    await expect(readTableHeader(join(dir, "none.csv"))).rejects.toThrow(
      `${join(dir, "none.csv")}: no such file`,
    );
  });
});

describe("Parquet", () => {
  const columns: ParquetColumn[] = [
    { name: "a", type: "double", values: TEN_ROWS.map((r) => r.a) },
    { name: "n", type: "int64", values: TEN_ROWS.map((r) => BigInt(r.a * 1000)) },
    { name: "flag", type: "boolean", values: TEN_ROWS.map((r) => r.a % 2 === 0) },
    { name: "label", type: "string", values: TEN_ROWS.map((r) => r.label) },
  ];

  it("reads row groups in batches, values as hyparquet decodes them", async () => {
    for (const codec of ["UNCOMPRESSED", "GZIP"] as const) {
      const path = await file(`ten-${codec}.parquet`, writeParquet(columns, 4, codec));
      expect(await readTableHeader(path)).toEqual({
        columns: ["a", "n", "flag", "label"],
        format: "parquet",
      });
      const batches = await readAll({ path, label: "label", labelKind: "category", batchRows: 3 });
      expect(batches.map((b) => [b.rowOffset, b.rows])).toEqual([
        [0, 3],
        [3, 3],
        [6, 3],
        [9, 1],
      ]);
      const compressors = await loadParquetCompressors();
      const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path), compressors });
      expect(batches.flatMap((b) => [...b.features])).toEqual(
        rows.flatMap((r) => [r.a, Number(r.n), r.flag ? 1 : 0]),
      );
      expect(batches.flatMap((b) => b.labels as string[])).toEqual(rows.map((r) => r.label));
    }
  });

  it("reads number labels and names the row of a bad value", async () => {
    const path = await file("y.parquet", writeParquet(columns.slice(0, 2), 4, "UNCOMPRESSED"));
    const [batch] = await readAll({ path, label: "n", labelKind: "number" });
    expect(batch?.labels).toEqual(Float64Array.from(TEN_ROWS, (r) => r.a * 1000));
    const label = (n: number) => ({
      name: "label",
      type: "string",
      values: TEN_ROWS.slice(0, n).map((r) => r.label),
    });
    const withNull = [
      { name: "a", type: "double", values: [0, 1, 2, 3, null, 5] },
      label(6),
    ] as ParquetColumn[];
    expect(await errorOf("null.parquet", writeParquet(withNull, 4, "UNCOMPRESSED"))).toBe(
      `null.parquet: row 5, column "a": missing value (empty, NA, NaN or null); 1 row has one. Set \`evaluate.missing: drop\` in the experiment (or pass --missing drop) to leave such rows out`,
    );
    const text = [{ name: "a", type: "string", values: ["1", "x"] }, label(2)] as ParquetColumn[];
    expect(await errorOf("text.parquet", writeParquet(text, 4, "UNCOMPRESSED"))).toBe(
      'text.parquet: row 1, column "a": expected a number, got "1"',
    );
    expect(await errorOf("bad.parquet", "PAR1 not really")).toMatch(
      /^bad\.parquet: not a readable Parquet file: /,
    );
  });

  it("reads the first rows of vega-datasets' flights-3m.parquet (ZSTD) as hyparquet does", async () => {
    const path = "node_modules/vega-datasets/data/flights-3m.parquet";
    const header = await readTableHeader(path);
    expect(header.columns).toEqual(["date", "delay", "distance", "origin", "destination"]);
    const options = {
      path,
      label: "origin",
      features: ["delay", "distance"],
      labelKind: "category" as const,
    };
    const compressors = await loadParquetCompressors();
    if (!canDecompress(compressors, "ZSTD")) {
      await expect(readAll(options)).rejects.toThrow(
        /column "delay" is compressed with ZSTD, which this Node.js/,
      );
      return;
    }
    const { value: batch } = await readTable({ ...options, batchRows: 1000 }).next();
    const file = await asyncBufferFromFile(path);
    const rows = await parquetReadObjects({ file, compressors, rowStart: 0, rowEnd: 1000 });
    expect([...(batch as TableBatch).features]).toEqual(
      rows.flatMap((r) => [Number(r.delay), Number(r.distance)]),
    );
    expect((batch as TableBatch).labels).toEqual(rows.map((r) => r.origin));
  });
});

describe("missing values (core/data/missing-values.ts)", () => {
  it("defines missing once: empty, NA, NaN and null, after trimming", () => {
    for (const text of ["", "  ", "NA", " NaN ", "null"]) expect(isMissingValue(text)).toBe(true);
    for (const text of ["na", "N/A", "None", "0", "x"]) expect(isMissingValue(text)).toBe(false);
  });

  const csv = "a,b,label\n1,2,x\n3,NA,y\nNaN,4,x\n5,6,null\n7, ,y\n8,9,z\n";

  it("refuses a CSV with missing values by default, with the count and the first cell", async () => {
    expect(await errorOf("na.csv", csv)).toBe(
      'na.csv:3:3: column "b": missing value (empty, NA, NaN or null); the first of 4 rows with one. Set `evaluate.missing: drop` in the experiment (or pass --missing drop) to leave such rows out',
    );
  });

  it("drops the rows with a missing feature or label under `drop`, and says how many", async () => {
    const dropped: number[] = [];
    const path = await file("drop.csv", csv);
    const batches = await readAll({
      path,
      label: "label",
      labelKind: "category",
      batchRows: 1,
      missing: "drop",
      onDropped: (rows) => dropped.push(rows),
    });
    expect(batches.flatMap((b) => [...b.features])).toEqual([1, 2, 8, 9]);
    expect(batches.flatMap((b) => b.labels as string[])).toEqual(["x", "z"]);
    expect(dropped).toEqual([4]);
  });

  it("treats JSON null, an absent key and missing-value strings as missing", async () => {
    const lines = [
      '{"a": 1, "label": "x"}',
      '{"a": null, "label": "y"}',
      '{"label": "y"}',
      '{"a": "NA", "label": "y"}',
      '{"a": 2, "label": "NaN"}',
      '{"a": 3, "label": "z"}',
    ].join("\n");
    expect(await errorOf("na.jsonl", lines)).toMatch(
      /^na\.jsonl:2:7: column "a": missing value \(empty, NA, NaN or null\); the first of 4 rows with one\./,
    );
    const path = await file("drop.jsonl", lines);
    const batches = await readAll({ path, label: "label", labelKind: "category", missing: "drop" });
    expect(batches.flatMap((b) => [...b.features])).toEqual([1, 3]);
    expect(batches.flatMap((b) => b.labels as string[])).toEqual(["x", "z"]);
  });

  it("treats Parquet nulls and NaN as missing", async () => {
    const columns = [
      { name: "a", type: "double", values: [0, 1, null, 3, Number.NaN, 5] },
      { name: "label", type: "string", values: ["p", "q", "r", null, "t", "u"] },
    ] as ParquetColumn[];
    const bytes = writeParquet(columns, 4, "UNCOMPRESSED");
    expect(await errorOf("na.parquet", bytes)).toMatch(
      /^na\.parquet: row 3, column "a": missing value \(empty, NA, NaN or null\); the first of 3 rows with one\./,
    );
    const path = await file("drop.parquet", bytes);
    const batches = await readAll({ path, label: "label", labelKind: "category", missing: "drop" });
    expect(batches.flatMap((b) => [...b.features])).toEqual([0, 1, 5]);
    expect(batches.flatMap((b) => b.labels as string[])).toEqual(["p", "q", "u"]);
  });
});
