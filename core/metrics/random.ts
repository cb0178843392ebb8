/**
 * A small seeded PRNG (xoshiro128**, state seeded through splitmix32) so bootstrap resamples are
 * reproducible across machines and Node versions. Not for cryptography.
 */

const TWO_32 = 4294967296;

export interface Random {
  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** A uniform integer in [0, n), without bias; n must be an integer in [1, 2^32]. */
  nextInt(n: number): number;
  /**
   * Adds 1 to `counts[i]` for each of `draws` uniform draws of i in [0, counts.length): one
   * multinomial bootstrap resample, in a tight loop.
   */
  addMultinomialCounts(counts: Float64Array, draws: number): void;
}

/** Creates a xoshiro128** generator whose state is derived from `seed` with splitmix32. */
export function createRandom(seed: number): Random {
  return new Xoshiro128(seed);
}

class Xoshiro128 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return z ^ (z >>> 16);
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  nextUint32(): number {
    const { a, b } = this;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    const c = this.c ^ a;
    const d = this.d ^ b;
    this.b = b ^ c;
    this.a = a ^ d;
    this.c = c ^ t;
    this.d = rotl(d, 11);
    return result;
  }

  nextInt(n: number): number {
    if (n <= 0x200000) {
      // Lemire's multiply-shift with rejection: x * n is exact in a double while n <= 2^21.
      for (;;) {
        const m = this.nextUint32() * n;
        const high = Math.floor(m / TWO_32);
        const low = m - high * TWO_32;
        if (low >= n || low >= (TWO_32 - n) % n) return high;
      }
    }
    // Plain rejection: accept only draws below the largest multiple of n that fits in 2^32.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  addMultinomialCounts(counts: Float64Array, draws: number): void {
    const n = counts.length;
    if (n > 0x200000) {
      for (let r = 0; r < draws; r++) {
        const i = this.nextInt(n);
        counts[i] = (counts[i] as number) + 1;
      }
      return;
    }
    // The same draws as nextInt(n), with the state in locals for speed.
    const threshold = (TWO_32 - n) % n;
    let { a, b, c, d } = this;
    for (let r = 0; r < draws; ) {
      const x = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      const m = x * n;
      const high = Math.floor(m / TWO_32);
      if (m - high * TWO_32 < threshold) continue;
      counts[high] = (counts[high] as number) + 1;
      r++;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
