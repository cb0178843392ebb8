import { resolve } from "node:path";
import { loadValidProject } from "../../adapters/pipeline/load-valid-project.ts";
import { readRunOutputs } from "../../adapters/pipeline/read-run-outputs.ts";
import { compareRunOutputs } from "../../core/compare/compare-run-outputs.ts";
import { UsageError } from "../../core/errors.ts";
import { renderReport } from "../../core/report/render-report.ts";
import { isPassing, renderSummary } from "../../core/report/render-summary.ts";
import type { Command, ParsedArgs } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

const FORMATS = ["markdown", "json"] as const;

export const compareCommand: Command = {
  name: "compare",
  help: `Usage: modelci compare --results PATH... [--manifests PATH...] [--root DIR] [--format markdown|json]

Applies each model's gates to the evaluation results of its runs and prints the report that a pull
request gets: one section per model, worst verdict first. Results are grouped by the model they
name (\`run.model\`); the gates, primary metric and metric directions come from
models/<model>/model.yaml under --root. For each model the best run by the primary metric is
judged (ties go to the run id that sorts first):
  pass         every gate passed; a regression whose 95% CI includes zero is within noise and
               passes, unless the gate is strict
  fail         a gate failed
  no-champion  the model has no champion yet: min/max gates still apply, regression gates are skipped
  error        a run failed or timed out, a trained run has no result, or a gated metric is missing
The champion is the version the model's baseline target serves before the change: the one evaluate
looked up and recorded in the results (\`champion\`, at a pull request's base), else the one the
declarations under --root name; its metrics are the results' baseline, scored on the same rows
(\`modelci evaluate --baseline\`).

Options:
  --results PATH      an evaluation result (evaluation.json) or a folder searched for them
                      (repeatable; files after it, as a shell glob expands them, count too);
                      a result with no \`run\` beside a run's manifest.json is that run's, and a
                      file reached by two paths counts once
  --manifests PATH    a run manifest (manifest.json) or a folder of them (repeatable): runs that
                      failed, or trained without a result, make their model's verdict error
                      (JSON files are recognized by their content, whichever option names them)
  --root DIR          the repository folder with the models' declarations (default: .)
  --model NAME        the model of results that name none (a plain \`modelci evaluate --out\`)
  --format FORMAT     markdown (default) or json (the verdicts, gates and metrics)
  --key KEY           report key in the report's hidden marker (default: default)
  --limit N           shorten the Markdown to at most N bytes as a PR comment must be (65535);
                      default: the full report
  --run-url URL       link to the workflow run, in the report
  --artifacts-url URL link to the run's artifacts, in the report

Exit status: 0 every model passes or has no champion yet, 1 a gate failed or a run errored (or an
input is wrong), 2 usage error.

Examples:
  modelci compare --results .modelci/runs --root .
  modelci compare --results results/*.json --manifests manifests/ --format json
  modelci compare --model weather --results candidate.json --limit 65535`,
  options: {
    results: { type: "string", multiple: true },
    manifests: { type: "string", multiple: true },
    root: { type: "string", default: "." },
    model: { type: "string" },
    format: { type: "string", default: "markdown" },
    key: { type: "string" },
    limit: { type: "string" },
    "run-url": { type: "string" },
    "artifacts-url": { type: "string" },
  },
  maxPositionals: 100_000,
  async run(args, output) {
    const format = stringOption(args, "format", FORMATS) ?? "markdown";
    const limit = limitOption(args);
    const results = (args.values.results as string[] | undefined) ?? [];
    const manifests = (args.values.manifests as string[] | undefined) ?? [];
    if (results.length === 0 && manifests.length === 0) {
      throw new UsageError("needs --results FILE (evaluation results) or a folder of them");
    }
    const inputs = await readRunOutputs([...results, ...args.positionals, ...manifests]);
    const project = await loadValidProject(resolve(stringOption(args, "root") ?? "."));
    const models = compareRunOutputs(
      project,
      inputs.results,
      inputs.manifests,
      stringOption(args, "model"),
      inputs.failures,
    );
    const ok = models.every((model) => isPassing(model.verdict));
    if (format === "json") {
      output.out(`${JSON.stringify({ summary: renderSummary(models), ok, models }, null, 2)}\n`);
    } else {
      const report = renderReport(
        {
          models,
          key: stringOption(args, "key"),
          runUrl: stringOption(args, "run-url"),
          artifactsUrl: stringOption(args, "artifacts-url"),
        },
        { limit },
      );
      output.out(report.markdown);
    }
    return ok ? 0 : 1;
  },
};

function limitOption(args: ParsedArgs): number {
  const value = stringOption(args, "limit");
  if (value === undefined) return Number.POSITIVE_INFINITY;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(limit) || limit < 1000) {
    throw new UsageError(`--limit must be an integer >= 1000, got ${JSON.stringify(value)}`);
  }
  return limit;
}
