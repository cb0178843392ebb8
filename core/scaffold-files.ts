/**
 * Published JSON Schemas: the files in this repository's schemas/json/, as GitHub serves them
 * from the main branch of github.com/modelci/modelci. `modelci init` points editors at them.
 */
export const SCHEMA_BASE_URL = "https://raw.githubusercontent.com/modelci/modelci/main/schemas/json";
/** The reusable workflow a scaffolded repository calls; `v1` is the tag of the 1.x releases. */
export const REUSABLE_WORKFLOW = "modelci/modelci/.github/workflows/modelci.yml@v1";

export const TEMPLATES = ["node", "python"] as const;
export type Template = (typeof TEMPLATES)[number];

export interface ScaffoldOptions {
  model: string;
  task: "classification" | "regression";
  owner: string;
  template?: Template;
  schemaBase?: string;
}

const header = (base: string, kind: string) =>
  `# yaml-language-server: $schema=${base}/${kind}.schema.json\n`;

/** How each template's trainer is run, and what the train runner installs first. */
const TRAINERS: Record<Template, { command: (task: string) => string; inputs: string; setup: string }> = {
  node: {
    command: (task) =>
      `node train.js --task ${task} --lr \${{ params.lr }} --epochs 300 --label label --out out`,
    inputs: "[train.js, write-onnx.js, data/**]",
    setup: "",
  },
  python: {
    command: (task) => `python3 train.py --task ${task} --C \${{ params.C }} --label label --out out`,
    inputs: "[train.py, requirements.txt, data/**]",
    setup: "pip install -r requirements.txt",
  },
};

/**
 * The declarations, data, workflow and .gitignore of a new modelci repository: one experiment,
 * one model, staging and production. The trainer itself (train.js or train.py) is a template file
 * that `modelci init` copies beside these.
 */
export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  const base = options.schemaBase ?? SCHEMA_BASE_URL;
  const { model, task, owner } = options;
  const template = options.template ?? "node";
  const trainer = TRAINERS[template];
  const metric = task === "classification" ? "f1_macro" : "rmse";
  const gate = task === "classification" ? "{ metric: accuracy, min: 0.7 }" : "{ metric: r2, min: 0.5 }";
  const params =
    template === "node" ? "params: { lr: 0.5 }\nsweep: { lr: [0.1, 0.5] }" : "params: { C: 1.0 }";
  const target = (stage: string, note: string) => `${header(base, "deployment")}# The ${stage} target. ${note}
environment: ${stage}
models: {}
driver: { kind: command, run: ./deploy.sh ${stage} }
`;
  return {
    "modelci.yaml": `${header(base, "config")}# modelci configuration. Every field is optional.
root: .
# Registered model files, content-addressed and committed (run folders under .modelci/ are not).
artifacts: { store: local, path: artifacts }
`,
    ".gitignore": `# modelci's run folders (manifests, logs, trained models): one per training run, never committed.
.modelci/
# What the trainer writes; modelci copies it into the run folder.
out/
node_modules/
__pycache__/
`,
    [`experiments/${model}.yaml`]: `${header(base, "experiment")}# How to train ${model}. A pull request that changes an input below retrains it.
model: ${model}
command: ${trainer.command(task)}
${params}
data:
  train: data/train.csv
  eval: { path: data/eval.csv, label: label }
inputs: ${trainer.inputs}
# GitHub's runner; a GPU job names its runner labels instead, e.g. [self-hosted, linux, gpu].
runs-on: [ubuntu-latest]
outputs: { model: out/model.onnx, metrics: out/metrics.json }
timeout-minutes: 30
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
    ".github/workflows/models.yml": `# Trains and evaluates the experiments a pull request affects, and posts one report comment.
# The reusable workflow is modelci's (docs/workflows.md): plan, train, evaluate, report.
name: models
on:
  pull_request:
    types: [opened, synchronize, reopened, labeled]
permissions:
  contents: read
  pull-requests: write
  checks: write
jobs:
  modelci:
    uses: ${REUSABLE_WORKFLOW}
    with:
      root: "."
      setup: ${JSON.stringify(trainer.setup)}
`,
    "data/train.csv": makeData(task, 240, 1),
    "data/eval.csv": makeData(task, 120, 2),
  };
}

/**
 * A small synthetic table: three features and a `label` column, the same rows every time.
 * Classification: three classes (a, b, c) by which feature combination is largest, with noise.
 * Regression: a linear function of the features plus noise.
 */
export function makeData(task: "classification" | "regression", rows: number, seed: number): string {
  let state = seed * 2654435761;
  const random = (): number => {
    // A 32-bit linear congruential generator: deterministic, good enough for example data.
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ["f1,f2,f3,label"];
  for (let i = 0; i < rows; i += 1) {
    const f = [random() * 4 - 2, random() * 4 - 2, random() * 4 - 2];
    const [f1 = 0, f2 = 0, f3 = 0] = f;
    const noise = (random() - 0.5) * 0.6;
    let label: string;
    if (task === "classification") {
      const scores = [f1 + noise, f2 - noise, -(f1 + f2) / 2 + f3 / 4];
      label = ["a", "b", "c"][scores.indexOf(Math.max(...scores))] ?? "a";
    } else {
      label = (2 * f1 - f2 + 0.5 * f3 + noise).toFixed(4);
    }
    lines.push(`${f.map((v) => v.toFixed(4)).join(",")},${label}`);
  }
  return `${lines.join("\n")}\n`;
}
