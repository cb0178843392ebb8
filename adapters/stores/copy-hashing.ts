import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { UserError } from "../../core/errors.ts";

/** Copies a byte stream to a new file (never over an existing one), hashing it on the way. */
export async function writeHashing(
  source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
  target: string,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(source, tap, createWriteStream(target, { flags: "wx" }));
  return { sha256: hash.digest("hex"), size };
}

/** Copies a file to a new file, hashing it on the way; a missing source is a UserError. */
export async function copyHashing(file: string, target: string): Promise<{ sha256: string; size: number }> {
  try {
    return await writeHashing(createReadStream(file), target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR") {
      throw new UserError(`${file}: no such artifact file`, { cause: error });
    }
    throw error;
  }
}
