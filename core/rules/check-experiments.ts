import type { Experiment } from "../../schemas/index.ts";
import { didYouMean } from "../declarations/did-you-mean.ts";
import { locateInScalar } from "../declarations/locate-node.ts";
import type { Declared, Project } from "../declarations/project.ts";
import { buildArgv, CommandSyntaxError, findParamReferences } from "../train/build-argv.ts";
import { MAX_MATRIX_JOBS } from "../train/expand-sweep.ts";
import type { Findings } from "./rule-context.ts";

/** Sweeps larger than this are refused: 16 full matrices is beyond any sane single PR. */
export const MAX_SWEEP_RUNS = MAX_MATRIX_JOBS * 16;

/**
 * Sweep values that give the command the same argument (`0.1` twice, or `0.1` and `"0.1"`) would
 * train the same run twice; each repeat is reported where it is.
 */
function checkSweepDuplicates(
  experiment: Declared<Experiment>,
  sweep: Record<string, readonly (string | number | boolean)[]>,
  findings: Findings,
): void {
  for (const [name, values] of Object.entries(sweep)) {
    const first = new Map<string, number>();
    for (const [index, value] of values.entries()) {
      const argument = String(value);
      const earlier = first.get(argument);
      if (earlier === undefined) {
        first.set(argument, index);
        continue;
      }
      const same = JSON.stringify(values[earlier]) === JSON.stringify(value);
      findings.error(
        experiment,
        ["sweep", name, index],
        same
          ? `${JSON.stringify(value)} is listed more than once (also at sweep.${name}[${earlier}])`
          : `${JSON.stringify(value)} gives the command the same argument as ${JSON.stringify(values[earlier])} at sweep.${name}[${earlier}]`,
      );
    }
  }
}

/** Experiments: their model exists, the command's params are declared, the sweep fits. */
export function checkExperiments(project: Project, findings: Findings): void {
  const modelNames = [...project.present.models];
  for (const experiment of project.experiments.values()) {
    const { value } = experiment;
    if (!project.present.models.has(value.model)) {
      findings.error(
        experiment,
        ["model"],
        `model ${JSON.stringify(value.model)} is not declared (no ${project.root}models/${value.model}/model.yaml)${didYouMean(value.model, modelNames)}`,
      );
    }
    const sweep = value.sweep ?? {};
    const known = [...new Set([...Object.keys(value.params), ...Object.keys(sweep)])];
    const references = findParamReferences(value.command);
    try {
      buildArgv(value.command, Object.fromEntries(references.map((name) => [name, "x"])));
    } catch (error) {
      if (error instanceof CommandSyntaxError) {
        const at = locateInScalar(experiment.source, ["command"], error.index);
        if (at) findings.addAt("error", experiment, ["command"], at, error.detail);
        else findings.error(experiment, ["command"], error.message.replace(/^command: /, ""));
      } else {
        const message = error instanceof Error ? error.message : String(error);
        findings.error(experiment, ["command"], message.replace(/^command: /, ""));
      }
    }
    for (const name of references) {
      if (!known.includes(name)) {
        const hint = didYouMean(name, known);
        const list = known.length > 0 ? `; declared: ${known.join(", ")}` : "; no params are declared";
        findings.error(
          experiment,
          ["command"],
          `uses \${{ params.${name} }}, which is not a declared param${hint || list}`,
        );
      }
    }
    for (const name of Object.keys(sweep)) {
      if (!references.includes(name)) {
        findings.add("warning", experiment, ["sweep", name], "is swept but the command never uses it", "key");
      }
    }
    checkSweepDuplicates(experiment, sweep, findings);
    const runs = Object.values(sweep).reduce((product, values) => product * values.length, 1);
    if (runs > MAX_SWEEP_RUNS) {
      findings.error(experiment, ["sweep"], `expands to ${runs} runs; the limit is ${MAX_SWEEP_RUNS}`);
    } else if (runs > MAX_MATRIX_JOBS) {
      const chunks = Math.ceil(runs / MAX_MATRIX_JOBS);
      findings.warn(
        experiment,
        ["sweep"],
        `expands to ${runs} runs, over GitHub's ${MAX_MATRIX_JOBS}-job matrix limit; plan splits it into ${chunks} matrices`,
      );
    }
    const evaluate = value.evaluate;
    if (evaluate?.command !== undefined && evaluate.metrics === undefined) {
      findings.error(
        experiment,
        ["evaluate"],
        "`evaluate.command` needs `evaluate.metrics`, the JSON file it writes",
      );
    }
  }
}
