import { resolve } from "node:path";
import * as core from "@actions/core";
import { readEventCommits } from "../../../adapters/actions/read-event.ts";
import { planChange } from "../../../adapters/pipeline/plan-change.ts";
import { describeError, UserError } from "../../../core/errors.ts";
import { toChunks, toMatrices } from "../../../core/plan/plan-runs.ts";
import { readPlanInputs } from "./inputs.ts";

/** Plans the training runs of the change and sets the matrix outputs. */
export async function run(): Promise<void> {
  try {
    const inputs = readPlanInputs();
    const event = readEventCommits();
    const base = inputs.base ?? event.base;
    const head = inputs.head ?? event.head ?? "HEAD";
    if (base === undefined) {
      throw new UserError(`no base commit for a ${event.name || "local"} event; set the \`base\` input`);
    }
    const { plan, changed } = await planChange(resolve(inputs.root), base, head);
    const matrices = toMatrices(plan.runs);
    core.setOutput("matrix", JSON.stringify(matrices[0] ?? { include: [] }));
    core.setOutput("matrices", JSON.stringify(matrices));
    core.setOutput("matrix-count", String(matrices.length));
    core.setOutput("chunks", JSON.stringify(toChunks(matrices)));
    core.setOutput("has-runs", String(plan.runs.length > 0));
    core.setOutput("runs", String(plan.runs.length));
    core.setOutput("experiments", JSON.stringify(plan.experiments.map((e) => e.name)));
    const rows = plan.experiments.map((e) => [e.name, e.model, String(e.runs), e.reasons.join("; ")]);
    await core.summary
      .addHeading("modelci plan", 3)
      .addRaw(
        `${plan.runs.length} run(s) of ${plan.experiments.length} experiment(s); ${changed.length} changed file(s).`,
        true,
      )
      .addTable([
        [
          { data: "experiment", header: true },
          { data: "model", header: true },
          { data: "runs", header: true },
          { data: "why", header: true },
        ],
        ...rows,
      ])
      .write();
    for (const experiment of plan.experiments)
      core.info(`${experiment.name}: ${experiment.runs} run(s) because ${experiment.reasons.join("; ")}`);
    if (plan.runs.length === 0) core.info("No experiment is affected by this change.");
  } catch (error) {
    core.setFailed(describeError(error));
  }
}
