import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Whether `header` (`x-hub-signature-256`: `sha256=<hex>`) is the HMAC-SHA256 of the raw body bytes
 * under the webhook secret, compared in constant time. Checked before the body is parsed.
 */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  const match = SIGNATURE.exec(header ?? "");
  if (match === null || match[1] === undefined) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
