/**
 * Numbers as gate explanations and the report show them. One metric's values, delta and interval
 * share a number of decimals: enough for 3 significant digits of the values and 1 of the delta, so
 * "0.442 vs 0.431 (+0.011)" reads at a glance and a tiny delta never shows as "+0.000".
 */

const MAX_DECIMALS = 6;
const MINUS = "\u2212";

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(decimals: number, signed: boolean): Intl.NumberFormat {
  const key = `${decimals}:${signed}`;
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      signDisplay: signed ? "exceptZero" : "negative",
    });
    formatters.set(key, format);
  }
  return format;
}

/** A finite number, or undefined for null, undefined, NaN and infinities. */
export function finite(value: number | null | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Decimals that show `digits` significant digits of `value` (0 for big numbers, at most 6). */
export function significantDecimals(value: number, digits: number): number {
  // Rounded first, so float noise (1.9 − 1.8 = 0.0999…) does not add a decimal.
  const rounded = Math.abs(Number(value.toPrecision(12)));
  if (!Number.isFinite(rounded) || rounded === 0) return 0;
  const magnitude = Math.floor(Math.log10(rounded));
  return Math.min(MAX_DECIMALS, Math.max(0, digits - 1 - magnitude));
}

/** Decimals for one metric: 3 significant digits of each value, 1 of the delta. */
export function metricDecimals(
  values: readonly (number | null | undefined)[],
  delta?: number | null | undefined,
): number {
  let decimals = 0;
  for (const value of values) {
    const number = finite(value);
    if (number !== undefined) decimals = Math.max(decimals, significantDecimals(number, 3));
  }
  const change = finite(delta);
  if (change !== undefined && change !== 0) decimals = Math.max(decimals, significantDecimals(change, 1));
  return decimals;
}

/** `0.442`, `1,234`, `−0.5`; "—" when there is no value. */
export function formatValue(value: number | null | undefined, decimals: number): string {
  const number = finite(value);
  if (number === undefined) return "—";
  return formatter(decimals, false).format(number).replace("-", MINUS);
}

/** `+0.011`, `−0.052`, `0.000`; "—" when there is no value. */
export function formatDelta(value: number | null | undefined, decimals: number): string {
  const number = finite(value);
  if (number === undefined) return "—";
  return formatter(decimals, true).format(number).replace("-", MINUS);
}

/** `−0.052…−0.011`; undefined when either end is missing. */
export function formatInterval(
  low: number | null | undefined,
  high: number | null | undefined,
  decimals: number,
): string | undefined {
  if (finite(low) === undefined || finite(high) === undefined) return undefined;
  return `${formatDelta(low, decimals)}…${formatDelta(high, decimals)}`;
}
