/**
 * The one-sided Smirnov survival function Pr(D⁺ₙ ≥ x), as scipy.special.smirnov (cephes
 * `_smirnov`): the Birnbaum–Tingey sum, summed in log space (every term is positive, so nothing
 * cancels), stopping once the remaining terms cannot change the sum. scipy sums in double-double;
 * the difference stays near 1e-13 relative.
 */
import { logGamma } from "./special-functions.ts";

const MIN_LOG = -708.3964185322641;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
const EPSILON = 2.220446049250313e-16;

/** scipy.special.smirnov(n, x). */
export function smirnov(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxFloor = Math.floor(nx);
  const alpha = nx - nxFloor;
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    return clamp(1 - x * (1 + x) ** (n - 1));
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return clamp((1 - x) ** n);
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  let lastTerm = n - nxFloor - (alpha === 0 ? 0 : 1);
  if (alpha === 0) lastTerm -= 1;
  const terms = lastTerm + 1;
  const logNFactorial = logGamma(n + 1);
  let sum = (1 - x) ** n / x;
  const middle = Math.floor(n / 2);
  for (let v = 1; v < terms; v++) {
    const logBinomial = logNFactorial - logGamma(v + 1) - logGamma(n - v + 1);
    const low = (n - v) / n - x;
    const high = v / n + x;
    const term = low > 0 ? Math.exp(logBinomial + (v - 1) * Math.log(high) + (n - v) * Math.log(low)) : 0;
    if (Number.isFinite(term)) sum += term;
    if (term !== 0) {
      if (4 * (terms - v) * term < EPSILON * sum && v !== terms - 1) break;
    } else if (v > middle) {
      break;
    }
  }
  return clamp(x * sum);
}

function clamp(p: number): number {
  return Math.min(1, Math.max(0, p));
}
