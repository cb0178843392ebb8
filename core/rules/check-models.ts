import type { Model } from "../../schemas/index.ts";
import { didYouMean } from "../declarations/did-you-mean.ts";
import type { Declared, Project } from "../declarations/project.ts";
import {
  CLASSIFICATION_METRICS,
  REGRESSION_METRICS,
  STANDARD_METRICS,
} from "../metrics/metric-directions.ts";
import type { Findings } from "./rule-context.ts";

const USER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9_.-]+$/;

/** Metric names a model may use: the standard ones for its task, plus its declared custom metrics. */
export function knownMetrics(model: Model): string[] {
  const wrongTask = new Set<string>(
    model.task === "classification" ? REGRESSION_METRICS : CLASSIFICATION_METRICS,
  );
  return [...STANDARD_METRICS.filter((m) => !wrongTask.has(m)), ...Object.keys(model.metrics ?? {})];
}

function checkMetric(
  declared: Declared<Model>,
  path: (string | number)[],
  metric: string,
  findings: Findings,
): void {
  const known = knownMetrics(declared.value);
  if (known.includes(metric)) return;
  const other = declared.value.task === "classification" ? REGRESSION_METRICS : CLASSIFICATION_METRICS;
  if ((other as readonly string[]).includes(metric)) {
    findings.error(
      declared,
      path,
      `${JSON.stringify(metric)} is a ${declared.value.task === "classification" ? "regression" : "classification"} metric; this model's task is ${declared.value.task}`,
    );
    return;
  }
  findings.error(
    declared,
    path,
    `unknown metric ${JSON.stringify(metric)}${didYouMean(metric, known)}; declare custom metrics under \`metrics\``,
  );
}

/** Models: owners, metric names, gates, the promotion policy and the retrain experiment. */
export function checkModels(project: Project, findings: Findings): void {
  for (const declared of project.models.values()) {
    const model = declared.value;
    for (const [i, owner] of model.owners.entries()) {
      if (!USER.test(owner) && !TEAM.test(owner)) {
        findings.error(
          declared,
          ["owners", i],
          `${JSON.stringify(owner)} is neither a GitHub user (alice) nor a team (@org/team)`,
        );
      }
    }
    checkMetric(declared, ["primary-metric"], model["primary-metric"], findings);
    for (const [i, gate] of model.gates.entries()) {
      checkMetric(declared, ["gates", i, "metric"], gate.metric, findings);
      const kinds = (["min", "max", "max-regression"] as const).filter((k) => gate[k] !== undefined);
      if (kinds.length !== 1) {
        const what = kinds.length === 0 ? "none" : kinds.join(" and ");
        findings.error(
          declared,
          ["gates", i],
          `a gate sets exactly one of min, max or max-regression; this one sets ${what}`,
        );
      }
    }
    const { stages, baseline } = model.promotion;
    const seen = new Set<string>();
    for (const [i, stage] of stages.entries()) {
      if (seen.has(stage))
        findings.error(
          declared,
          ["promotion", "stages", i],
          `stage ${JSON.stringify(stage)} is listed twice`,
        );
      seen.add(stage);
      if (!project.present.deployments.has(stage)) {
        findings.warn(
          declared,
          ["promotion", "stages", i],
          `no deployment target ${project.root}deployments/${stage}.yaml`,
        );
      }
    }
    for (const stage of Object.keys(model.promotion["soak-hours"])) {
      if (!seen.has(stage)) {
        findings.add(
          "error",
          declared,
          ["promotion", "soak-hours", stage],
          `${JSON.stringify(stage)} is not one of the stages${didYouMean(stage, stages)}`,
          "key",
        );
      }
    }
    if (baseline !== undefined && !seen.has(baseline)) {
      findings.error(
        declared,
        ["promotion", "baseline"],
        `${JSON.stringify(baseline)} is not one of the stages${didYouMean(baseline, stages)}`,
      );
    }
    const retrain = model.retrain?.experiment;
    if (retrain !== undefined) {
      const experiment = project.experiments.get(retrain);
      if (!project.present.experiments.has(retrain)) {
        findings.error(
          declared,
          ["retrain", "experiment"],
          `experiment ${JSON.stringify(retrain)} is not declared${didYouMean(retrain, [...project.present.experiments])}`,
        );
      } else if (experiment && experiment.value.model !== declared.name) {
        findings.error(
          declared,
          ["retrain", "experiment"],
          `experiment ${JSON.stringify(retrain)} trains ${JSON.stringify(experiment.value.model)}, not this model`,
        );
      }
    }
  }
}
