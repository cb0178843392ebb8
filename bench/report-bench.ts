/**
 * Report rendering at scale: 200 models × 30 metrics, each a sweep of 3 runs against a champion, one
 * in ten failing a gate. Times the comparison (gates and verdicts), the full report (a job summary)
 * and the report limited to a PR comment, and gives their sizes in characters.
 */
import { performance } from "node:perf_hooks";
import { compareModel } from "../core/compare/compare-model.ts";
import { CHECK_RUN_LIMIT } from "../core/report/measure-size.ts";
import { renderReport } from "../core/report/render-report.ts";
import { makeManyModels } from "../test/helpers/comparison-fixtures.ts";

const MODELS = 200;
const METRICS = 30;
const REPEATS = 5;

/** The fastest of a few runs, in milliseconds, and the last value. */
function time<T>(run: () => T): { ms: number; value: T } {
  let best = Number.POSITIVE_INFINITY;
  let value = run();
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    value = run();
    best = Math.min(best, performance.now() - start);
  }
  return { ms: Math.round(best * 10) / 10, value };
}

export async function benchReport(): Promise<Record<string, number>> {
  const inputs = makeManyModels({ count: MODELS, metrics: METRICS, failEvery: 10, errorEvery: 25 });
  const compared = time(() => inputs.map(compareModel));
  const models = compared.value;
  const full = time(() => renderReport({ models }, { limit: Number.POSITIVE_INFINITY }));
  const limited = time(() => renderReport({ models }, { limit: CHECK_RUN_LIMIT }));
  return {
    "compare 200 models (ms)": compared.ms,
    "full report (ms)": full.ms,
    "full report (chars)": full.value.markdown.length,
    "limited report (ms)": limited.ms,
    "limited report (chars)": limited.value.markdown.length,
    "limited report truncated (0/1)": limited.value.truncated ? 1 : 0,
  };
}
