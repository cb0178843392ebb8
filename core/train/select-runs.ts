import type { Experiment } from "../../schemas/index.ts";
import { didYouMean } from "../declarations/did-you-mean.ts";
import { UserError } from "../errors.ts";
import type { ParamValue } from "./build-argv.ts";
import { expandSweep, type Run } from "./expand-sweep.ts";

/** Reads a `--param` value as the YAML author would have written it: number, boolean or string. */
export function parseParamValue(text: string): ParamValue {
  if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text;
}

/** Parses `name=value` overrides, refusing names the experiment does not declare. */
export function parseOverrides(pairs: readonly string[], experiment: Experiment): Record<string, ParamValue> {
  const known = [...new Set([...Object.keys(experiment.params), ...Object.keys(experiment.sweep ?? {})])];
  const overrides: Record<string, ParamValue> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UserError(`--param ${JSON.stringify(pair)}: expected NAME=VALUE`);
    const name = pair.slice(0, at);
    if (!known.includes(name)) {
      const hint = didYouMean(name, known);
      throw new UserError(
        `--param ${name}: not a param of this experiment${hint || `; its params: ${known.join(", ")}`}`,
      );
    }
    overrides[name] = parseParamValue(pair.slice(at + 1));
  }
  return overrides;
}

/**
 * The runs to train: every run of the sweep, or the one named `runId`. Overrides replace params;
 * an overridden swept param is no longer swept, so run ids name only what still varies.
 */
export function selectRuns(
  experiment: Experiment,
  runId: string | undefined,
  overrides: Record<string, ParamValue>,
): Run[] {
  const sweep = Object.fromEntries(
    Object.entries(experiment.sweep ?? {}).filter(([name]) => !Object.hasOwn(overrides, name)),
  );
  const all = expandSweep({ ...experiment.params, ...overrides }, sweep);
  if (runId === undefined) return all;
  const runs = all.filter((run) => run.runId === runId);
  if (runs.length === 0) {
    const ids = all.map((run) => run.runId);
    throw new UserError(
      `no run ${JSON.stringify(runId)}${didYouMean(runId, ids)}; the runs are: ${ids.join(", ")}`,
    );
  }
  return runs;
}
