import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "./temp-repo.ts";

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` blocks and `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = "", delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      outputs[name] = value.join("\n");
    } else if (line.includes("=")) {
      const at = line.indexOf("=");
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

export interface ActionResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

interface Prepared {
  argv: string[];
  env: Record<string, string>;
  outputFile: string;
  summaryFile: string;
}

/** The runner's environment for an Action: INPUT_* variables, GITHUB_OUTPUT, the step summary. */
function prepareAction(
  name: string,
  inputs: Record<string, string>,
  options: { cwd: string; env?: Record<string, string> },
): Prepared {
  const files = tempDir();
  const outputFile = join(files, "output");
  const summaryFile = join(files, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.cwd,
    RUNNER_TEMP: files,
    ...options.env,
  };
  for (const [key, value] of Object.entries(inputs))
    env[`INPUT_${key.replaceAll(" ", "_").toUpperCase()}`] = value;
  return { argv: [join(REPO_ROOT, "actions", name, "dist/index.js")], env, outputFile, summaryFile };
}

function finish(prepared: Prepared, code: number | null, stdout: string, stderr: string): ActionResult {
  return {
    code: code ?? -1,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(prepared.outputFile, "utf8")),
    summary: readFileSync(prepared.summaryFile, "utf8"),
  };
}

/** Runs an Action's committed dist/index.js the way the runner does: INPUT_* variables, GITHUB_OUTPUT. */
export function runAction(
  name: string,
  inputs: Record<string, string>,
  options: { cwd: string; env?: Record<string, string> },
): ActionResult {
  const prepared = prepareAction(name, inputs, options);
  const result = spawnSync(process.execPath, prepared.argv, {
    cwd: options.cwd,
    env: prepared.env,
    encoding: "utf8",
  });
  return finish(prepared, result.status, result.stdout, result.stderr);
}

/** The same, without blocking this process, so a server in the test can answer the Action. */
export async function runActionAsync(
  name: string,
  inputs: Record<string, string>,
  options: { cwd: string; env?: Record<string, string> },
): Promise<ActionResult> {
  const prepared = prepareAction(name, inputs, options);
  const child = spawn(process.execPath, prepared.argv, { cwd: options.cwd, env: prepared.env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return finish(prepared, code, stdout, stderr);
}
