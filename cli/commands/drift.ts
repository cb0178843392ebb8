import { resolve } from "node:path";
import { loadOnnxruntime } from "../../adapters/onnx/load-onnxruntime.ts";
import { checkFileDrift } from "../../adapters/pipeline/check-file-drift.ts";
import { checkTargetDrift } from "../../adapters/pipeline/check-target-drift.ts";
import { DEFAULT_DRIFT_OPTIONS, type DriftOptions } from "../../core/drift/check-drift.ts";
import { METHOD_NAMES, type MethodName } from "../../core/drift/drift-methods.ts";
import { renderDriftText } from "../../core/drift/render-drift-text.ts";
import { UsageError, UserError } from "../../core/errors.ts";
import type { Command, ParsedArgs } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

const METHODS = ["auto", ...METHOD_NAMES] as const;

export const driftCommand: Command = {
  name: "drift",
  help: `Usage: modelci drift --reference FILE --current FILE [options]
       modelci drift --target TARGET [--root DIR] [options]

Compares current data with reference data, feature by feature, and gives a dataset verdict.
Files may be CSV, JSON Lines (flat rows, or the input log \`modelci serve\` writes) or Parquet,
and are streamed. With --target, every model the target serves is checked: the reference
profile stored with the served version against the target's monitoring.current data.

Statistics match scipy: KS (ks_2samp, exact p-value up to 10,000 values a side), Wasserstein
distance normed by the reference's std, PSI and Jensen-Shannon over Sturges bins or category
shares, chi-squared and the two-proportion Z-test on category counts. \`auto\` picks the method
as Evidently does: with at most 1,000 reference values, KS for numeric features with more than
5 distinct values, else chi-squared (Z-test for two categories); past 1,000, the normed
Wasserstein distance for numeric features, else Jensen-Shannon. Missing cells (empty, NA, NaN,
null) are dropped before every statistic and their share is reported. See docs/drift.md.

Options:
  --reference FILE     the reference data (e.g. the training data)
  --current FILE       the current data (e.g. recent production inputs)
  --target TARGET      check what deployments/TARGET.yaml serves, with its monitoring settings
  --root DIR           the repository folder, with --target (default: .)
  --json               print the result as JSON (schemas/json/drift-result.schema.json, or
                       drift-target-result.schema.json with --target)
  --method METHOD      auto (default), ks, wasserstein, psi, jensen-shannon, chi-squared or z-test
  --threshold X        the method's threshold (default: p < 0.05 for ks, chi-squared, z-test;
                       ≥ 0.1 for psi, wasserstein, jensen-shannon)
  --columns A,B        only these features (repeatable or comma-separated; default: every
                       column both files have, except Parquet date and time columns)
  --stats all          report every applicable statistic for every feature (default: the
                       method's)
  --share X            the dataset drifts when at least this share of features drift (default 0.5)
  --correction bh      Benjamini–Hochberg correction of the p-value methods
  --min-rows N         fewer current rows than this give "not enough data" (default 100)

With --target, the deployment's monitoring.drift settings apply; options given here override them.

Exit status: 0 no drift (or not enough data), 1 drift, 2 usage or data error.

Examples:
  modelci drift --reference data/train.csv --current logs/inputs.jsonl
  modelci drift --reference train.parquet --current week.parquet --json --stats all
  modelci drift --target production --root examples/weather`,
  options: {
    reference: { type: "string" },
    current: { type: "string" },
    target: { type: "string" },
    root: { type: "string", default: "." },
    json: { type: "boolean", default: false },
    method: { type: "string" },
    threshold: { type: "string" },
    columns: { type: "string", multiple: true },
    stats: { type: "string" },
    share: { type: "string" },
    correction: { type: "string" },
    "min-rows": { type: "string" },
  },
  maxPositionals: 0,
  async run(args, output) {
    const overrides = driftOverrides(args);
    const columns = ((args.values.columns as string[] | undefined) ?? [])
      .flatMap((value) => value.split(","))
      .map((name) => name.trim())
      .filter((name) => name !== "");
    const reference = stringOption(args, "reference");
    const current = stringOption(args, "current");
    const target = stringOption(args, "target");
    const json = args.values.json === true;
    try {
      if (target !== undefined) {
        if (reference !== undefined || current !== undefined) {
          throw new UsageError("--target checks the target's own data; leave out --reference and --current");
        }
        const result = await checkTargetDrift({
          root: resolve(stringOption(args, "root") ?? "."),
          target,
          overrides,
          columns: columns.length > 0 ? columns : undefined,
          loadOrt: () => loadOnnxruntime(),
          warn: (message) => output.err(`warning: ${message}\n`),
        });
        output.out(json ? `${JSON.stringify(result, null, 2)}\n` : renderTargetText(result));
        return result.drifted ? 1 : 0;
      }
      if (reference === undefined || current === undefined) {
        throw new UsageError("needs --reference FILE and --current FILE, or --target TARGET");
      }
      const drift: DriftOptions = { ...DEFAULT_DRIFT_OPTIONS, ...overrides };
      const result = await checkFileDrift({
        reference,
        current,
        columns: columns.length > 0 ? columns : undefined,
        drift,
        warn: (message) => output.err(`warning: ${message}\n`),
      });
      output.out(json ? `${JSON.stringify(result, null, 2)}\n` : renderDriftText(result));
      return result.dataset.verdict === "drift" ? 1 : 0;
    } catch (error) {
      // Bad data is exit 2, as a bad command line is; drift is 1.
      if (error instanceof UserError && !(error instanceof UsageError)) throw new UsageError(error.message);
      throw error;
    }
  },
};

function renderTargetText(result: Awaited<ReturnType<typeof checkTargetDrift>>): string {
  return Object.entries(result.models)
    .map(([model, r]) => `${model} v${r.version} on ${result.target}\n${renderDriftText(r)}`)
    .join("\n");
}

function numberOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** The drift settings given on the command line. */
function driftOverrides(args: ParsedArgs): Partial<DriftOptions> {
  const overrides: Partial<DriftOptions> = {};
  const method = stringOption(args, "method", METHODS);
  if (method !== undefined) overrides.method = method as "auto" | MethodName;
  const threshold = numberOption(args, "threshold", 0, Number.MAX_VALUE);
  if (threshold !== undefined) overrides.threshold = threshold;
  const share = numberOption(args, "share", 0, 1);
  if (share !== undefined) overrides.share = share;
  const minRows = numberOption(args, "min-rows", 0, Number.MAX_SAFE_INTEGER);
  if (minRows !== undefined) {
    if (!Number.isInteger(minRows)) throw new UsageError(`--min-rows must be an integer, got ${minRows}`);
    overrides.minRows = minRows;
  }
  const stats = stringOption(args, "stats", ["auto", "all"] as const);
  if (stats !== undefined) overrides.stats = stats;
  const correction = stringOption(args, "correction", ["bh", "none"] as const);
  if (correction !== undefined) overrides.correction = correction === "bh" ? "bh" : undefined;
  return overrides;
}
