/**
 * A minimal protobuf wire-format reader: enough to walk an ONNX ModelProto for its signature and
 * metadata without a protobuf library (onnx-proto pulls in protobufjs, whose install script npm 11
 * warns about on every install of modelci). Unknown fields are skipped, as protobuf requires.
 */

/** Thrown when the bytes end inside a field: a truncated file. */
export class TruncatedError extends Error {
  constructor() {
    super("index out of range");
    this.name = "TruncatedError";
  }
}

export type FieldValue = { wire: 0; value: number } | { wire: 2; bytes: Uint8Array };

/** Every field of one message, in order, as (field number, value); fixed-width fields are skipped. */
export function readFields(bytes: Uint8Array): { field: number; value: FieldValue }[] {
  const fields: { field: number; value: FieldValue }[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      if (pos >= bytes.length) throw new TruncatedError();
      const byte = bytes[pos++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error("a varint longer than 10 bytes");
  };
  const skip = (length: number): void => {
    if (pos + length > bytes.length) throw new TruncatedError();
    pos += length;
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new Error(`invalid field number 0 at byte ${pos}`);
    if (wire === 0) {
      fields.push({ field, value: { wire: 0, value: varint() } });
    } else if (wire === 2) {
      const length = varint();
      const start = pos;
      skip(length);
      fields.push({ field, value: { wire: 2, bytes: bytes.subarray(start, start + length) } });
    } else if (wire === 1) {
      skip(8);
    } else if (wire === 5) {
      skip(4);
    } else {
      throw new Error(`invalid wire type ${wire} at byte ${pos}`);
    }
  }
  return fields;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The fields of a message, grouped by field number. */
export class Message {
  readonly #fields: Map<number, FieldValue[]>;

  constructor(bytes: Uint8Array) {
    this.#fields = new Map();
    for (const { field, value } of readFields(bytes)) {
      const list = this.#fields.get(field) ?? [];
      list.push(value);
      this.#fields.set(field, list);
    }
  }

  has(field: number): boolean {
    return this.#fields.has(field);
  }

  /** The last value of a varint field (protobuf's rule for repeated scalars), or undefined. */
  int(field: number): number | undefined {
    const last = this.#fields.get(field)?.findLast((v) => v.wire === 0);
    return last?.wire === 0 ? last.value : undefined;
  }

  string(field: number): string | undefined {
    const last = this.#fields.get(field)?.findLast((v) => v.wire === 2);
    return last?.wire === 2 ? decoder.decode(last.bytes) : undefined;
  }

  message(field: number): Message | undefined {
    const last = this.#fields.get(field)?.findLast((v) => v.wire === 2);
    return last?.wire === 2 ? new Message(last.bytes) : undefined;
  }

  messages(field: number): Message[] {
    return (this.#fields.get(field) ?? []).flatMap((v) => (v.wire === 2 ? [new Message(v.bytes)] : []));
  }
}
