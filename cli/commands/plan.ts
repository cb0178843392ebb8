import { resolve } from "node:path";
import { planChange } from "../../adapters/pipeline/plan-change.ts";
import { toMatrices } from "../../core/plan/plan-runs.ts";
import type { Command } from "../command.ts";
import { plural } from "../format-diagnostics.ts";
import { revisionOptions } from "../parse-command-line.ts";

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(" ");
}

export const planCommand: Command = {
  name: "plan",
  help: `Usage: modelci plan --base REV [--head REV] [--root DIR] [--json]

Diffs HEAD (or --head) against its merge base with --base and lists the experiments whose
inputs the change touches, with every run of their sweeps and why each was chosen. An
experiment is affected when a changed path matches one of its \`inputs\` globs, or when its own
file or its model's model.yaml changed. Declarations are read at --head through git.

Options:
  --base REV   the commit the change is compared with (a PR's base branch, e.g. origin/main)
  --head REV   the changed commit (default: HEAD)
  --root DIR   repository folder (default: .)
  --json       print the plan as JSON, with GitHub Actions matrices of at most 256 jobs

Example:
  modelci plan --base origin/main`,
  options: {
    base: { type: "string" },
    head: { type: "string", default: "HEAD" },
    root: { type: "string", default: "." },
    json: { type: "boolean", default: false },
  },
  maxPositionals: 0,
  async run(args, output) {
    const { base, head, root } = revisionOptions(args);
    const change = await planChange(resolve(root), base, head);
    const { plan } = change;
    if (args.values.json === true) {
      const matrices = toMatrices(plan.runs);
      output.out(`${JSON.stringify({ ...change, matrices }, null, 2)}\n`);
      return 0;
    }
    const range = `${change.base.slice(0, 7)}...${change.head.slice(0, 7)}`;
    output.out(
      `${plural(plan.runs.length, "run")} of ${plural(plan.experiments.length, "experiment")} for ${range} (${plural(change.changed.length, "changed file")})\n`,
    );
    for (const experiment of plan.experiments) {
      output.out(`\n${experiment.name} → model ${experiment.model}\n`);
      for (const reason of experiment.reasons) output.out(`  because ${reason}\n`);
      for (const run of plan.runs.filter((r) => r.experiment === experiment.name)) {
        output.out(
          `  ${run.runId.padEnd(24)} runs-on: ${run.runsOn.join(", ")}  ${formatParams(run.params)}\n`,
        );
      }
    }
    return 0;
  },
};
