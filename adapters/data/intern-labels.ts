/**
 * Category labels decoded once per distinct value: a classification file repeats a handful of
 * labels millions of times, and decoding each cell would allocate a string per row.
 */
export class LabelInterner {
  /** A direct-mapped cache by hash; a slot taken by another label just means decoding again. */
  private readonly slots: ({ bytes: Buffer; text: string } | undefined)[] = new Array(1024).fill(undefined);

  /** The UTF-8 text of `bytes[start, end)`, shared with earlier cells of the same bytes. */
  text(bytes: Buffer, start: number, end: number): string {
    let hash = 0x811c9dc5;
    for (let p = start; p < end; p++) hash = Math.imul(hash ^ (bytes[p] as number), 0x01000193);
    const slot = (hash ^ (hash >>> 10) ^ (hash >>> 20)) & 1023;
    const known = this.slots[slot];
    if (known !== undefined && sameBytes(known.bytes, bytes, start, end)) return known.text;
    const text = bytes.toString("utf8", start, end);
    if (known === undefined) this.slots[slot] = { bytes: Buffer.from(bytes.subarray(start, end)), text };
    return text;
  }
}

function sameBytes(known: Buffer, bytes: Buffer, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
  return true;
}
