/**
 * The drift readers' fast paths against the general cell readers they replace for drift: CSV
 * cells parsed from bytes (adapters/data/read-csv-columns.ts) against the RFC 4180 record
 * splitter and `csvCell`; numeric Parquet columns decoded page by page
 * (adapters/data/read-parquet-numbers.ts) against hyparquet's own row reader and `valueCell`.
 * Files are written with hyparquet-writer (data page v2, PLAIN, dictionary, delta, byte stream
 * split, several codecs), with the test suite's own minimal v1 writer, and read from vega-datasets'
 * flights-3m.parquet (ZSTD, dictionary pages, v1).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan } from "hyparquet";
import { type ColumnSource, parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadParquetCompressors } from "../adapters/data/load-parquet-compressors.ts";
import { readDriftTable } from "../adapters/data/read-drift-table.ts";
import { numericParquetColumn, readParquetNumbers } from "../adapters/data/read-parquet-numbers.ts";
import type { TableFormat } from "../adapters/data/read-table.ts";
import { readTableCells } from "../adapters/data/read-table-cells.ts";
import { main } from "../cli/main.ts";
import { ColumnCollector } from "../core/drift/collect-column.ts";
import type { ColumnSample } from "../core/drift/drift-samples.ts";
import { writeParquet } from "./helpers/write-parquet-v1.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "modelci-drift-readers-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array | ArrayBuffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content instanceof ArrayBuffer ? new Uint8Array(content) : content);
  return path;
}

/** The drift samples the general cell reader gives: every cell through csvCell or valueCell. */
async function generalSamples(path: string, names: string[], format: TableFormat) {
  const collectors = names.map(() => new ColumnCollector());
  let rows = 0;
  for await (const batch of readTableCells(path, names, format)) {
    batch.values.forEach((cells, c) => {
      for (let r = 0; r < batch.rows; r++) (collectors[c] as ColumnCollector).add(cells[r]);
    });
    rows += batch.rows;
  }
  return {
    rows,
    columns: new Map(names.map((name, i) => [name, (collectors[i] as ColumnCollector).finish()])),
  };
}

/** Samples compared exactly: numbers by Object.is (so -0 and 0 differ), categories by count. */
function plain(sample: ColumnSample | undefined) {
  if (sample === undefined) return undefined;
  if (sample.kind === "categorical") {
    return { kind: sample.kind, missing: sample.missing, counts: [...sample.counts].sort() };
  }
  return {
    kind: sample.kind,
    missing: sample.missing,
    values: Array.from(sample.values, (v) => (Object.is(v, -0) ? "-0" : v)),
  };
}

async function expectSameAsGeneral(path: string, names: string[], format: TableFormat): Promise<void> {
  const fast = await readDriftTable(path, { columns: names });
  const general = await generalSamples(path, names, format);
  expect(fast.rows).toBe(general.rows);
  for (const name of names)
    expect(plain(fast.columns.get(name)), name).toEqual(plain(general.columns.get(name)));
}

async function errorOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("CSV columns parsed from bytes", () => {
  const tricky = [
    '\uFEFFnum,text,mixed,"quoted, name",spaced',
    '1,a,1,"1.5",  7  ',
    '-0,b,NA,"",\t8',
    '.5,"multi\nline",x,"say ""hi""",9 ',
    "5.,c,2,3,1e400",
    "",
    "+3,NaN,null,4,0x10",
    "1e5,d,,5,12345678901234567890",
    "1.7976931348623157e308,e, 3 ,6,-",
    "4.9e-324,f,n/a,7,1e-22",
    "0.1,g,None,8,123456789012345.678",
  ].join("\r\n");

  it("reads every column as the record splitter and csvCell do: numbers, text, missing, quotes, spaces", async () => {
    const path = await file("tricky.csv", `${tricky}\r\n`);
    await expectSameAsGeneral(path, ["num", "text", "mixed", "quoted, name", "spaced"], "csv");
    const table = await readDriftTable(path, { columns: ["num", "mixed"] });
    expect(table.rows).toBe(9);
    expect(table.columns.get("num")?.kind).toBe("numeric");
    // "x" turns mixed categorical; its numbers count by their text
    expect(plain(table.columns.get("mixed"))).toEqual({
      kind: "categorical",
      missing: 3,
      counts: [
        ["1", 1],
        ["2", 1],
        ["3", 1],
        ["None", 1],
        ["n/a", 1],
        ["x", 1],
      ],
    });
  });

  it("reads LF, CR and no final line break alike; a column the file lacks is all missing", async () => {
    for (const [name, text] of [
      ["lf.csv", tricky.replaceAll("\r\n", "\n")],
      ["cr.csv", tricky.replaceAll("\r\n", "\r")],
    ] as const) {
      const path = await file(name, text);
      await expectSameAsGeneral(path, ["num", "text", "absent", "spaced"], "csv");
    }
    const table = await readDriftTable(await file("absent.csv", "a\n1\n2\n"), { columns: ["a", "b"] });
    expect(plain(table.columns.get("b"))).toEqual({ kind: "numeric", missing: 2, values: [] });
  });

  it("reads rows that straddle its 1 MiB windows, quoted line breaks included", async () => {
    const lines = ["id,value,note"];
    for (let i = 0; i < 120_000; i++) {
      const value = i % 97 === 0 ? "" : i % 89 === 0 ? "NA" : ((i * 7919) % 100_003) / 1000 - 50;
      const note = i % 13 === 0 ? `"row ${i}\nsecond line, with comma"` : `n${i % 50}`;
      lines.push(`${i},${value},${note}`);
    }
    const path = await file("big.csv", `${lines.join("\n")}\n`);
    await expectSameAsGeneral(path, ["id", "value", "note"], "csv");
    const table = await readDriftTable(path, { columns: ["value"] });
    expect(table.rows).toBe(120_000);
  });

  it("gives the record splitter's errors, with their line", async () => {
    const cases: [string, string, string][] = [
      ["width.csv", "a,b\n1,2\n3\n", "width.csv:3:1: expected 2 fields, found 1"],
      ["open.csv", 'a,b\n1,2\n3,"open\n', "open.csv:3:1: quoted field is not closed"],
      ["after.csv", 'a,b\n1,2\n"3"x,4\n', "after.csv:3:1: unexpected character after a closing quote"],
      ["empty.csv", "", "empty.csv:1:1: empty file, expected a header line with column names"],
      ["later.csv", 'a,b\n"1\n\n",2\r\n\r\n3,4\n5\n', "later.csv:7:1: expected 2 fields, found 1"],
    ];
    for (const [name, text, message] of cases) {
      const path = await file(name, text);
      expect(await errorOf(readDriftTable(path, { columns: ["a"] })), name).toBe(join(dir, message));
      if (name !== "empty.csv") {
        expect(await errorOf(generalSamples(path, ["a"], "csv")), name).toBe(join(dir, message));
      }
    }
    expect(await errorOf(readDriftTable(join(dir, "nothing.csv")))).toBe(
      `${join(dir, "nothing.csv")}: no such file`,
    );
  });
});

describe("numeric Parquet columns decoded page by page", () => {
  const rows = 50_000;
  const ints = Array.from({ length: rows }, (_, i) => ((i * 7919) % 2003) - 1000);
  const withNulls = <T>(values: T[], every: number) => values.map((v, i) => (i % every === 3 ? null : v));
  // past 2^53: ties to even (2^53 + 1, 2^53 + 3) and rounding up or down away from ties
  const big = [
    2n ** 53n + 1n,
    2n ** 53n + 3n,
    -(2n ** 60n) - 3n,
    2n ** 60n + 2n ** 7n + 1n,
    2n ** 63n - 1n,
    -(2n ** 63n),
    12345n,
  ];

  const columns = (): ColumnSource[] => [
    { name: "int32", type: "INT32", nullable: false, data: Int32Array.from(ints) },
    { name: "int64", type: "INT64", nullable: true, data: withNulls(ints.map(BigInt), 11) },
    {
      name: "int64_big",
      type: "INT64",
      nullable: true,
      data: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : (big[i % big.length] as bigint))),
    },
    {
      name: "double",
      type: "DOUBLE",
      nullable: true,
      data: withNulls(
        ints.map((v, i) => (i % 101 === 0 ? Number.NaN : i % 103 === 0 ? -0 : v / 7)),
        13,
      ),
    },
    {
      name: "float",
      type: "FLOAT",
      nullable: true,
      data: withNulls(
        ints.map((v) => v / 3),
        17,
      ),
    },
    { name: "few", type: "INT64", nullable: true, data: ints.map((v) => BigInt(v % 5)) },
    {
      name: "delta32",
      type: "INT32",
      nullable: true,
      encoding: "DELTA_BINARY_PACKED",
      data: withNulls(ints, 19),
    },
    {
      name: "delta64",
      type: "INT64",
      nullable: false,
      encoding: "DELTA_BINARY_PACKED",
      data: ints.map((v, i) => BigInt(v) * 1_000_003n + BigInt(i)),
    },
    {
      name: "split",
      type: "DOUBLE",
      nullable: true,
      encoding: "BYTE_STREAM_SPLIT",
      data: withNulls(
        ints.map((v) => v * 1.25),
        23,
      ),
    },
    {
      name: "text",
      type: "STRING",
      nullable: true,
      data: withNulls(
        ints.map((v) => `t${v % 9}`),
        29,
      ),
    },
    {
      name: "flag",
      type: "BOOLEAN",
      nullable: true,
      data: withNulls(
        ints.map((v) => v > 0),
        31,
      ),
    },
  ];
  const names = columns().map((c) => c.name);

  for (const codec of ["UNCOMPRESSED", "SNAPPY", "GZIP"] as const) {
    it(`reads every column as hyparquet does (${codec}, several row groups and pages)`, async () => {
      const bytes = parquetWriteBuffer({
        columnData: columns(),
        codec,
        compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
        rowGroupSize: 20_000,
        pageSize: 16_384,
      });
      const path = await file(`all-${codec}.parquet`, bytes);
      await expectSameAsGeneral(path, [...names, "absent"], "parquet");
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
      // the fast path takes the numeric columns, the general reader the rest
      expect(names.filter((name) => numericParquetColumn(metadata, name) !== undefined)).toEqual(
        names.filter((name) => name !== "text" && name !== "flag"),
      );
      const table = await readDriftTable(path, { columns: ["int64", "few"] });
      expect(table.rows).toBe(rows);
      expect(table.columns.get("int64")?.missing).toBe(withNulls(ints, 11).filter((v) => v === null).length);
    });
  }

  it("reads unsigned 32- and 64-bit integers as unsigned", async () => {
    const u64 = [0n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 63n + 2n ** 10n + 1n, 5n, null];
    const u32 = [1, 2, 4294967295, 2147483648, 0, null];
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: "u64", data: u64 },
        { name: "u32", data: u32 },
      ],
      schema: [
        { name: "root", num_children: 2 },
        { name: "u64", type: "INT64", repetition_type: "OPTIONAL", converted_type: "UINT_64" },
        { name: "u32", type: "INT32", repetition_type: "OPTIONAL", converted_type: "UINT_32" },
      ],
    });
    const path = await file("unsigned.parquet", bytes);
    await expectSameAsGeneral(path, ["u64", "u32"], "parquet");
    const table = await readDriftTable(path);
    expect(plain(table.columns.get("u32"))).toEqual({
      kind: "numeric",
      missing: 1,
      values: [0, 1, 2, 2147483648, 4294967295],
    });
    expect(plain(table.columns.get("u64"))?.values).toEqual(
      [0n, 5n, 2n ** 63n, 2n ** 63n + 2n ** 10n + 1n, 2n ** 64n - 1n].map(Number),
    );
  });

  it("reads v1 data pages of the suite's own writer (OPTIONAL, PLAIN, GZIP) as the general reader", async () => {
    const values = [1.5, null, -2, 3e300, null, 0, -0, 4];
    const path = await file(
      "v1.parquet",
      writeParquet(
        [
          { name: "x", type: "double", values },
          { name: "n", type: "int64", values: values.map((v, i) => (v === null ? null : BigInt(i * 3 - 7))) },
        ],
        3,
        "GZIP",
      ),
    );
    await expectSameAsGeneral(path, ["x", "n"], "parquet");
  });

  it("reads vega-datasets' flights-3m.parquet (ZSTD, dictionary pages) as hyparquet does", async () => {
    const path = "node_modules/vega-datasets/data/flights-3m.parquet";
    const source = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(source);
    const compressors = await loadParquetCompressors();
    const column = numericParquetColumn(metadata, "delay");
    expect(column).toBeDefined();
    // the first three row groups, about 800,000 rows
    const groups = { ...metadata, row_groups: metadata.row_groups.slice(0, 3) };
    const end = groups.row_groups.reduce((sum, group) => sum + Number(group.num_rows), 0);
    const fast: number[] = [];
    for await (const page of readParquetNumbers(
      path,
      groups,
      column as NonNullable<typeof column>,
      compressors,
    )) {
      for (const value of page.values) fast.push(value);
    }
    const scan = await parquetScan({ file: source, metadata, columns: ["delay"], compressors });
    const expected: number[] = [];
    for (const range of scan.ranges) {
      if (range.rowStart >= end) break;
      const values = await scan.readColumn({
        column: "delay",
        rowStart: range.rowStart,
        rowEnd: range.rowEnd,
      });
      for (const value of values) if (value !== null) expected.push(Number(value));
    }
    expect(fast.length).toBe(end);
    expect(fast).toEqual(expected);
    // text and timestamp columns are left to the general reader
    expect(numericParquetColumn(metadata, "origin")).toBeUndefined();
    expect(numericParquetColumn(metadata, "date")).toBeUndefined();
  });

  it("names the file and the column when a column chunk is damaged", async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({ columnData: [{ name: "a", type: "DOUBLE", data: Float64Array.from(ints) }] }),
    );
    // overwrite the first page's bytes after the magic number, keeping the footer
    bytes.fill(0xff, 4, 64);
    const path = await file("damaged.parquet", bytes);
    expect(await errorOf(readDriftTable(path, { columns: ["a"] }))).toMatch(
      /^.*damaged\.parquet: cannot read column "a": .+/,
    );
  });
});

describe("modelci drift on Parquet and CSV files of the same data", () => {
  async function drift(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(["drift", ...args], { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  it("gives the same result from both formats; date and time columns are left out unless named", async () => {
    const sides = { reference: 3000, current: 2500 };
    const paths: Record<string, { parquet: string; csv: string }> = {};
    for (const [side, rows] of Object.entries(sides)) {
      const shift = side === "current" ? 40 : 0;
      const delay = Array.from({ length: rows }, (_, i) =>
        i % 37 === 0 ? null : ((i * 7919) % 211) - 60 + shift,
      );
      const origin = Array.from(
        { length: rows },
        (_, i) => ["SEA", "PDX", "SFO"][(i * 31 + shift) % 3] as string,
      );
      const when = Array.from(
        { length: rows },
        (_, i) => new Date(Date.UTC(2015, 0, 1) + (i + shift * 1000) * 60_000),
      );
      const parquet = await file(
        `${side}.parquet`,
        parquetWriteBuffer({
          columnData: [
            { name: "when", type: "TIMESTAMP", data: when },
            {
              name: "delay",
              type: "INT64",
              nullable: true,
              data: delay.map((v) => (v === null ? null : BigInt(v))),
            },
            { name: "origin", type: "STRING", data: origin },
          ],
        }),
      );
      // the CSV holds the same delays and origins, without the timestamps
      const lines = delay.map((v, i) => `${v ?? ""},${origin[i]}`);
      const csv = await file(`${side}.csv`, `delay,origin\n${lines.join("\n")}\n`);
      paths[side] = { parquet, csv };
    }
    const run = (format: "parquet" | "csv", extra: string[] = []) =>
      drift([
        "--reference",
        (paths.reference as { parquet: string; csv: string })[format],
        "--current",
        (paths.current as { parquet: string; csv: string })[format],
        "--json",
        "--stats",
        "all",
        ...extra,
      ]);
    const parquet = await run("parquet");
    const csv = await run("csv");
    expect(parquet.err).toBe(
      "warning: left out date and time columns: when (name them in --columns to compare their values as categories)\n",
    );
    expect(csv.err).toBe("");
    expect(parquet.code).toBe(1);
    expect(JSON.parse(parquet.out)).toEqual(JSON.parse(csv.out));
    expect(Object.keys(JSON.parse(parquet.out).features)).toEqual(["delay", "origin"]);
    const named = await run("parquet", ["--columns", "when,delay"]);
    expect(named.err).toBe("");
    expect(JSON.parse(named.out).features.when.method).toBe("jensen-shannon");
  });
});
