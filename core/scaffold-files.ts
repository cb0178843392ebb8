/** Where published JSON Schemas live; `modelci init` points editors at them. */
export const SCHEMA_BASE_URL = "https://raw.githubusercontent.com/modelci/modelci/main/schemas/json";

export interface ScaffoldOptions {
  model: string;
  task: "classification" | "regression";
  owner: string;
  schemaBase?: string;
}

const header = (base: string, kind: string) =>
  `# yaml-language-server: $schema=${base}/${kind}.schema.json\n`;

/** The files of a minimal modelci repository: one experiment, one model, staging and production. */
export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  const base = options.schemaBase ?? SCHEMA_BASE_URL;
  const { model, task, owner } = options;
  const metric = task === "classification" ? "f1_macro" : "rmse";
  const gate = task === "classification" ? "{ metric: f1_macro, min: 0.5 }" : "{ metric: r2, min: 0.0 }";
  const target = (stage: string, note: string) => `${header(base, "deployment")}# The ${stage} target. ${note}
models: {}
driver: { kind: command, run: ./deploy.sh ${stage} }
`;
  return {
    "modelci.yaml": `${header(base, "config")}# modelci configuration. Every field is optional.
root: .
artifacts: { store: local, path: .modelci/artifacts }
`,
    [`experiments/${model}.yaml`]: `${header(base, "experiment")}# How to train ${model}. A pull request that changes an input below retrains it.
model: ${model}
command: node train.js --lr \${{ params.lr }} --out out
params: { lr: 0.1 }
sweep: { lr: [0.05, 0.1, 0.2] }
data:
  train: data/train.csv
  eval: { path: data/eval.csv, label: label }
inputs: [train.js, data/**]
runs-on: [self-hosted, gpu]
outputs: { model: out/model.onnx, metrics: out/metrics.json }
timeout-minutes: 60
`,
    [`models/${model}/model.yaml`]: `${header(base, "model")}# The ${model} model: who owns it, how it is judged, how it is promoted.
task: ${task}
owners: [${JSON.stringify(owner)}]
primary-metric: ${metric}
gates:
  - ${gate}
  - { metric: ${metric}, max-regression: 0.01 }
promotion: { approvals: 1, stages: [staging, production], soak-hours: { production: 24 } }
`,
    "deployments/staging.yaml": target("staging", "Promote a version with `/modelci promote`."),
    "deployments/production.yaml": target("production", "Versions arrive here after staging."),
  };
}
