/**
 * `modelci drift --json --stats all` against scipy's values (test/fixtures/drift/golden.json, made
 * by scripts/golden/make-drift-golden.py with Debian's scipy): statistics within 1e-9 relative,
 * p-values within 1e-6, on small samples (exact KS), equal sizes, large samples (asymptotic KS),
 * categories absent from one side, a constant column and missing values; and the distribution
 * functions behind the p-values over grids that reach each of their branches.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { chiSquarePValue } from "../core/drift/categorical-tests.ts";
import { kolmogorovSurvival } from "../core/drift/kolmogorov-distribution.ts";
import { smirnov } from "../core/drift/smirnov.ts";
import { chiSquaredSurvival, normalCdf } from "../core/drift/special-functions.ts";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

const DIR = join(REPO_ROOT, "test/fixtures/drift");

interface GoldenFeature {
  method: string;
  statistics: Record<string, number>;
  rows: { reference: number; current: number };
  missing: { reference: number; current: number };
}
interface Golden {
  cases: Record<
    string,
    { rows: { reference: number; current: number }; features: Record<string, GoldenFeature> }
  >;
  distributions: {
    kstwo_sf: [number, number, number][];
    smirnov: [number, number, number][];
    chi2_sf: [number, number, number][];
    ndtr: [number, number][];
  };
}

const golden = JSON.parse(readFileSync(join(DIR, "golden.json"), "utf8")) as Golden;

function close(actual: number | undefined, expected: number, relative: number, what: string): void {
  expect(actual, what).toBeTypeOf("number");
  const a = actual as number;
  const scale = Math.max(Math.abs(expected), 1e-300);
  const ok = a === expected || Math.abs(a - expected) / scale <= relative || Math.abs(a - expected) < 1e-15;
  expect(ok, `${what}: ${a} vs scipy ${expected}`).toBe(true);
}

async function drift(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["drift", ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("modelci drift matches scipy", () => {
  for (const [name, expected] of Object.entries(golden.cases)) {
    it(`${name}: every statistic of every feature`, async () => {
      const { code, out, err } = await drift([
        "--reference",
        join(DIR, `${name}-reference.csv`),
        "--current",
        join(DIR, `${name}-current.csv`),
        "--json",
        "--stats",
        "all",
      ]);
      expect(err).toBe("");
      const result = JSON.parse(out);
      expect(code).toBe(result.dataset.verdict === "drift" ? 1 : 0);
      expect(result.dataset.rows).toEqual(expected.rows);
      expect(Object.keys(result.features).sort()).toEqual(Object.keys(expected.features).sort());
      for (const [feature, want] of Object.entries(expected.features)) {
        const got = result.features[feature];
        expect(got.method, feature).toBe(want.method);
        expect(got.rows, feature).toEqual(want.rows);
        close(got.missing.reference, want.missing.reference, 1e-12, `${feature} missing reference`);
        close(got.missing.current, want.missing.current, 1e-12, `${feature} missing current`);
        const statistics = Object.keys(got).filter((k) => k.endsWith("_value") || k in want.statistics);
        expect(statistics.sort(), feature).toEqual(Object.keys(want.statistics).sort());
        for (const [statistic, value] of Object.entries(want.statistics)) {
          close(
            got[statistic],
            value,
            statistic.endsWith("p_value") ? 1e-6 : 1e-9,
            `${name}.${feature}.${statistic}`,
          );
        }
      }
    });
  }

  it("small: the verdicts and the dataset share follow the thresholds", async () => {
    const { code, out } = await drift([
      "--reference",
      join(DIR, "small-reference.csv"),
      "--current",
      join(DIR, "small-current.csv"),
      "--json",
      "--min-rows",
      "10",
    ]);
    const result = JSON.parse(out);
    // x shifted (KS p 0.005), color gained a category (chi² p 0), flag moved (Z p 0.02)
    expect(
      Object.entries(result.features)
        .filter(([, f]) => (f as { drifted: boolean }).drifted)
        .map(([n]) => n),
    ).toEqual(["x", "color", "flag"]);
    expect(result.dataset).toMatchObject({ drifted: 3, features: 6, share: 0.5, verdict: "drift" });
    expect(code).toBe(1);
    expect(result.features.sparse.missing).toMatchObject({
      reference: 0.25,
      current: 23 / 45,
      changed: true,
    });
    expect(result.features.x).not.toHaveProperty("psi");
  });

  it("small: below --min-rows the verdict is not enough data, exit 0", async () => {
    const { code, out } = await drift([
      "--reference",
      join(DIR, "small-reference.csv"),
      "--current",
      join(DIR, "small-current.csv"),
      "--json",
    ]);
    expect(JSON.parse(out).dataset.verdict).toBe("not enough data");
    expect(code).toBe(0);
  });

  it("Benjamini–Hochberg adjusts the p-values the verdict reads", async () => {
    const { out } = await drift([
      "--reference",
      join(DIR, "small-reference.csv"),
      "--current",
      join(DIR, "small-current.csv"),
      "--json",
      "--correction",
      "bh",
      "--min-rows",
      "10",
    ]);
    const features = JSON.parse(out).features;
    const p = ["x", "y", "color", "flag", "constant", "sparse"].map(
      (n) => features[n].ks_p_value ?? features[n].chisquare_p_value ?? features[n].z_p_value,
    );
    const m = p.length;
    const order = p.map((v, i) => [v, i]).sort((a, b) => (a[0] as number) - (b[0] as number));
    const expected = new Array<number>(m);
    let running = 1;
    for (let rank = m; rank >= 1; rank--) {
      const [v, i] = order[rank - 1] as [number, number];
      running = Math.min(running, (v * m) / rank);
      expected[i] = running;
    }
    ["x", "y", "color", "flag", "constant", "sparse"].forEach((n, i) => {
      expect(features[n].adjusted_p_value).toBeCloseTo(expected[i] as number, 12);
      expect(features[n].drifted).toBe((expected[i] as number) < 0.05);
    });
  });
});

describe("distribution functions match scipy", () => {
  it("kstwo.sf over every branch of _kolmogn", () => {
    for (const [n, x, p] of golden.distributions.kstwo_sf)
      close(kolmogorovSurvival(n, x), p, 1e-6, `kstwo.sf(${x}, ${n})`);
  });
  it("special.smirnov", () => {
    for (const [n, x, p] of golden.distributions.smirnov)
      close(smirnov(n, x), p, 1e-6, `smirnov(${n}, ${x})`);
  });
  it("chi2.sf and ndtr", () => {
    for (const [x, df, p] of golden.distributions.chi2_sf)
      close(chiSquaredSurvival(x, df), p, 1e-9, `chi2.sf(${x}, ${df})`);
    for (const [z, p] of golden.distributions.ndtr) close(normalCdf(z), p, 1e-9, `ndtr(${z})`);
  });
  it("chi-squared with a category absent from the reference is p = 0, as scipy's infinite statistic", () => {
    expect(chiSquarePValue([5, 5, 0], [3, 3, 4])).toBe(0);
  });
});
