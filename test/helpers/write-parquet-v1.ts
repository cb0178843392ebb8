/**
 * A minimal Parquet writer for the tests, independent of any Parquet library: OPTIONAL flat
 * columns, one PLAIN data page (v1) per column chunk, `groupRows` rows per row group, pages
 * uncompressed or GZIP.
 */
import { gzipSync } from "node:zlib";

export type ParquetColumn = {
  name: string;
  type: "double" | "int64" | "boolean" | "string";
  values: (number | bigint | boolean | string | null)[];
};

/** The Parquet file's bytes. */
export function writeParquet(
  columns: ParquetColumn[],
  groupRows: number,
  codec: "UNCOMPRESSED" | "GZIP",
): Uint8Array {
  const types = { boolean: 0, int64: 2, double: 5, string: 6 };
  const parts: Uint8Array[] = [Buffer.from("PAR1")];
  let offset = 4;
  const rows = columns[0]?.values.length ?? 0;
  const groups: Thrift[] = [];
  for (let start = 0; start < rows; start += groupRows) {
    const chunks: Thrift[] = [];
    let groupBytes = 0;
    for (const column of columns) {
      const values = column.values.slice(start, start + groupRows);
      const levels = values.flatMap((v) => [2, v === null ? 0 : 1]);
      const present = values.filter((v) => v !== null);
      const plain =
        column.type === "boolean"
          ? [
              Buffer.from(
                Array.from({ length: Math.ceil(present.length / 8) }, (_, b) =>
                  present
                    .slice(b * 8, b * 8 + 8)
                    .reduce<number>((byte, v, i) => byte | ((v ? 1 : 0) << i), 0),
                ),
              ),
            ]
          : present.map((v) => plainValue(column.type, v as number | bigint | string));
      const body = Buffer.concat([uint32(levels.length), Buffer.from(levels), ...plain]);
      const stored = codec === "GZIP" ? gzipSync(body) : body;
      const pageHeader = thrift([
        [1, "i32", 0],
        [2, "i32", body.length],
        [3, "i32", stored.length],
        [
          5,
          "struct",
          [
            [1, "i32", values.length],
            [2, "i32", 0],
            [3, "i32", 3],
            [4, "i32", 3],
          ],
        ],
      ]);
      const size = pageHeader.length + stored.length;
      const meta: Thrift = [
        [1, "i32", types[column.type]],
        [2, "list", ["i32", [0, 3]]],
        [3, "list", ["binary", [column.name]]],
        [4, "i32", codec === "GZIP" ? 2 : 0],
        [5, "i64", values.length],
        [6, "i64", pageHeader.length + body.length],
        [7, "i64", size],
        [9, "i64", offset],
      ];
      chunks.push([
        [2, "i64", offset],
        [3, "struct", meta],
      ]);
      parts.push(pageHeader, stored);
      offset += size;
      groupBytes += size;
    }
    groups.push([
      [1, "list", ["struct", chunks]],
      [2, "i64", groupBytes],
      [3, "i64", Math.min(groupRows, rows - start)],
    ]);
  }
  const schema: Thrift[] = [
    [
      [4, "binary", "schema"],
      [5, "i32", columns.length],
    ],
  ];
  for (const c of columns) {
    const element: Thrift = [
      [1, "i32", types[c.type]],
      [3, "i32", 1],
      [4, "binary", c.name],
    ];
    schema.push(c.type === "string" ? [...element, [6, "i32", 0]] : element);
  }
  const footer = thrift([
    [1, "i32", 1],
    [2, "list", ["struct", schema]],
    [3, "i64", rows],
    [4, "list", ["struct", groups]],
  ]);
  parts.push(footer, uint32(footer.length), Buffer.from("PAR1"));
  return Buffer.concat(parts);
}

type ThriftValue = number | string | Thrift | [string, unknown[]];
type Thrift = [number, "i32" | "i64" | "binary" | "struct" | "list", ThriftValue][];

/** Thrift compact protocol, just the parts a Parquet footer and page header use. */
function thrift(fields: Thrift): Buffer {
  const codes = { i32: 5, i64: 6, binary: 8, list: 9, struct: 12 };
  const out: number[] = [];
  const varint = (n: bigint) => {
    while (n >= 0x80n) {
      out.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    out.push(Number(n));
  };
  const zigzag = (n: number) => varint(BigInt(n) >= 0n ? BigInt(n) * 2n : -BigInt(n) * 2n - 1n);
  const value = (type: string, v: unknown) => {
    if (type === "i32" || type === "i64") zigzag(v as number);
    else if (type === "binary") {
      const bytes = Buffer.from(v as string);
      varint(BigInt(bytes.length));
      out.push(...bytes);
    } else if (type === "struct") out.push(...thrift(v as Thrift));
    else {
      const [elementType, items] = v as [keyof typeof codes, unknown[]];
      out.push((items.length << 4) | codes[elementType]);
      for (const item of items) value(elementType, item);
    }
  };
  let last = 0;
  for (const [id, type, v] of fields) {
    out.push(((id - last) << 4) | codes[type]);
    last = id;
    value(type, v);
  }
  out.push(0);
  return Buffer.from(out);
}

function plainValue(type: ParquetColumn["type"], v: number | bigint | string): Buffer {
  const bytes = Buffer.alloc(8);
  if (type === "double") bytes.writeDoubleLE(v as number);
  else if (type === "int64") bytes.writeBigInt64LE(v as bigint);
  else return Buffer.concat([uint32(Buffer.byteLength(v as string)), Buffer.from(v as string)]);
  return bytes;
}

function uint32(n: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(n);
  return bytes;
}
