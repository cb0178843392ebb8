/**
 * One step of a workflow job, run as GitHub's runner would: this repository's Actions as node
 * processes over their bundled dist/, `run:` in bash, and GitHub's own checkout, setup-node and
 * download-artifact emulated (see run-workflow.ts).
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseOutputFile } from "./run-action.ts";
import type { Runner, Step, StepRecord } from "./run-workflow.ts";
import { REPO_ROOT, tempDir } from "./temp-repo.ts";
import { type ExpressionContext, interpolate, type Value } from "./workflow-expressions.ts";

const OWN = /^modelci\/modelci\/(.+)@v1$/;

type Ran = Omit<StepRecord, "job" | "step" | "ms">;

export async function runStep(
  step: Step,
  inputs: Record<string, Value>,
  env: Record<string, Value>,
  workspace: string,
  runner: Runner,
): Promise<Ran> {
  const uses = step.uses ?? "";
  if (uses.startsWith("actions/checkout@")) return checkout(workspace, inputs, runner);
  if (uses.startsWith("actions/setup-node@")) return { code: 0, outputs: {}, log: "", summary: "" };
  if (uses.startsWith("actions/download-artifact@")) return download(workspace, inputs, runner);
  const own = OWN.exec(uses);
  if (own?.[1]?.startsWith("actions/")) return runAction(own[1], inputs, env, workspace, runner);
  if (step.run !== undefined && step.uses === undefined) {
    return spawnStep("bash", ["-e", "-c", step.run], text(env), workspace, runner);
  }
  throw new Error(`step not understood: ${JSON.stringify(step)}`);
}

function text(values: Record<string, Value>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

/** actions/checkout: the event's commit, fetched from origin at `fetch-depth` (default 1; 0: all). */
async function checkout(workspace: string, inputs: Record<string, Value>, runner: Runner): Promise<Ran> {
  const depth = Number(inputs["fetch-depth"] ?? 1);
  const sha = String(runner.github.sha);
  const git = (...args: string[]) => spawnStep("git", args, {}, workspace, runner);
  for (const args of [
    ["init", "-q"],
    ["remote", "add", "origin", `file://${runner.origin}`],
    ["fetch", "-q", "--no-tags", ...(depth > 0 ? [`--depth=${depth}`] : []), "origin", sha],
    ["checkout", "-q", "--detach", sha],
  ]) {
    const result = await git(...args);
    if (result.code !== 0) return result;
  }
  return { code: 0, outputs: {}, log: "", summary: "" };
}

/** actions/download-artifact: each artifact whose name matches `pattern` into `path/<name>`. */
function download(workspace: string, inputs: Record<string, Value>, runner: Runner): Ran {
  const pattern = String(inputs.pattern ?? inputs.name ?? "*");
  const matches = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
  const into = join(workspace, String(inputs.path ?? "."));
  mkdirSync(into, { recursive: true });
  const names = readdirSync(runner.artifacts).filter((name) => matches.test(name));
  for (const name of names) {
    const to = inputs["merge-multiple"] === true || inputs.name !== undefined ? into : join(into, name);
    cpSync(join(runner.artifacts, name), to, { recursive: true });
  }
  return { code: 0, outputs: {}, log: `downloaded ${names.join(", ")}`, summary: "" };
}

function escapeRegExp(part: string): string {
  return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** One of this repository's Actions: its bundled dist/ in node, inputs and defaults as INPUT_*. */
function runAction(
  path: string,
  inputs: Record<string, Value>,
  env: Record<string, Value>,
  workspace: string,
  runner: Runner,
): Promise<Ran> {
  const metadata = parse(readFileSync(join(REPO_ROOT, path, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
    runs: { main: string };
  };
  for (const name of Object.keys(inputs)) {
    if (!(name in metadata.inputs)) throw new Error(`${path} has no input ${name}`);
  }
  const context: ExpressionContext = { contexts: { github: runner.github }, succeeded: true };
  const variables: Record<string, string> = { ...text(env) };
  for (const [name, input] of Object.entries(metadata.inputs)) {
    const value = inputs[name] ?? interpolate(input.default ?? "", context);
    variables[`INPUT_${name.replaceAll(" ", "_").toUpperCase()}`] = value === null ? "" : String(value);
  }
  return spawnStep(
    process.execPath,
    [join(REPO_ROOT, path, metadata.runs.main)],
    variables,
    workspace,
    runner,
  );
}

/** A process with the runner's environment; its GITHUB_OUTPUT becomes the step's outputs. */
async function spawnStep(
  command: string,
  args: string[],
  env: Record<string, string>,
  workspace: string,
  runner: Runner,
): Promise<Ran> {
  const files = tempDir();
  const output = join(files, "output");
  const summary = join(files, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const child = spawn(command, args, {
    cwd: workspace,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: files,
      RUNNER_TOOL_CACHE: runner.toolCache,
      MODELCI_ARTIFACTS_DIR: runner.artifacts,
      ...runner.env,
      ...env,
    },
  });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => {
    log += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    log += chunk.toString("utf8");
  });
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  return {
    code,
    outputs: parseOutputFile(readFileSync(output, "utf8")),
    log,
    summary: readFileSync(summary, "utf8"),
  };
}
