/**
 * Decimal numbers parsed straight from bytes, with no string in between.
 *
 * The fast path handles what data files hold almost always: an optional sign, at most 15
 * significant digits, an optional fraction and exponent, and a decimal exponent within ±22.
 * There `mantissa * 10^e` (or `/ 10^-e`) is exactly what `Number(text)` gives (Clinger's fast
 * path). Everything else goes through `Number(text)` after a strict decimal check.
 */

const MAX_EXACT_MANTISSA = 2 ** 53 - 1;
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Where the last `scanNumber` stopped: the index of the first byte that is not part of the number. */
export const scanned = { end: 0 };

/**
 * Reads a decimal number starting at `start`, stopping at the first byte that cannot continue it
 * (or at `limit`), and leaves that index in `scanned.end`. Returns NaN when the bytes are not a
 * number the fast path can read: the caller then takes the slow path with `parseNumberText`.
 */
export function scanNumber(bytes: Uint8Array, start: number, limit: number): number {
  let p = start;
  let negative = false;
  let c = p < limit ? (bytes[p] as number) : 0;
  if (c === 45 || c === 43) {
    negative = c === 45;
    p++;
  }
  let mantissa = 0;
  let digits = 0;
  let exponent = 0;
  const integerStart = p;
  while (p < limit) {
    c = (bytes[p] as number) - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    p++;
  }
  digits = p - integerStart;
  if (p < limit && bytes[p] === 46) {
    const fractionStart = ++p;
    while (p < limit) {
      c = (bytes[p] as number) - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      p++;
    }
    digits += p - fractionStart;
    exponent = fractionStart - p;
  }
  scanned.end = p;
  if (digits === 0) return Number.NaN;
  if (p < limit && (bytes[p] === 101 || bytes[p] === 69)) {
    p++;
    let exponentNegative = false;
    if (p < limit && (bytes[p] === 45 || bytes[p] === 43)) {
      exponentNegative = bytes[p] === 45;
      p++;
    }
    let written = 0;
    let value = 0;
    while (p < limit) {
      c = bytes[p] as number;
      if (c < 48 || c > 57) break;
      if (value < 100_000) value = value * 10 + (c - 48);
      written++;
      p++;
    }
    scanned.end = p;
    if (written === 0) return Number.NaN;
    exponent += exponentNegative ? -value : value;
  }
  if (mantissa > MAX_EXACT_MANTISSA || exponent > 22 || exponent < -22) return Number.NaN;
  const magnitude =
    exponent >= 0 ? mantissa * (POW10[exponent] as number) : mantissa / (POW10[-exponent] as number);
  return negative ? -magnitude : magnitude;
}

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Parses one cell's text as a finite decimal number (surrounding spaces allowed). Returns the
 * number, or a string that says what is wrong with the cell, ready for an error message.
 */
export function parseNumberText(text: string, max = Number.MAX_VALUE): number | string {
  if (text.trim() === "") return "empty value";
  if (!DECIMAL.test(text)) return `expected a number, got ${JSON.stringify(abbreviate(text))}`;
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > max) return `number ${text.trim()} is out of range`;
  return value;
}

/** A cell's text cut to a length that fits in one error line. */
export function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
