import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluationResultSchema } from "../../schemas/evaluation-result.ts";
import { runManifestSchema } from "../../schemas/run-manifest.ts";
import { commitAll, REPO_ROOT, runCli, tempDir } from "./temp-repo.ts";

export const RUNS = ".modelci/runs/weather-logreg";

/**
 * The weather example, without its registered version, in a fresh git repository, trained and evaluated for real by `modelci run`
 * (six runs, real ONNX files). The example's trainer imports onnx-proto, so node_modules is linked in.
 */
export function trainWeather(): string {
  const dir = tempDir("examples/weather");
  // Start with no registered version, so the tests number versions from 1.
  rmSync(join(dir, "models/weather/versions"), { recursive: true, force: true });
  rmSync(join(dir, "artifacts"), { recursive: true, force: true });
  const config = join(dir, "modelci.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace("path: artifacts", "path: .modelci/artifacts"));
  for (const target of ["staging", "production"]) {
    const path = join(dir, "deployments", `${target}.yaml`);
    writeFileSync(path, readFileSync(path, "utf8").replace(/^models: .*$/m, "models: {}"));
  }
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, ".gitignore"), "node_modules\n.modelci/\nout/\n");
  commitAll(dir, "weather example");
  const result = runCli(["run", "--root", dir, "--quiet"]);
  if (result.code !== 0) throw new Error(`modelci run failed:\n${result.stdout}\n${result.stderr}`);
  return dir;
}

/** A private copy of a trained repository (git history, runs and all). */
export function copyRepo(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), "modelci-registry-"));
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

export function runIds(dir: string): string[] {
  return readdirSync(join(dir, RUNS)).sort();
}

export function readManifest(dir: string, runId: string) {
  return runManifestSchema.parse(JSON.parse(readFileSync(join(dir, RUNS, runId, "manifest.json"), "utf8")));
}

export function readEvaluation(dir: string, runId: string) {
  return evaluationResultSchema.parse(
    JSON.parse(readFileSync(join(dir, RUNS, runId, "evaluation.json"), "utf8")),
  );
}
