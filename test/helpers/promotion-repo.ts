/** Git repositories of the weather example with registered versions and promotions, for promotion tests. */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { editFile, gitWith, tempDir } from "./temp-repo.ts";

export interface Tensor {
  name: string;
  type: string;
  shape: (number | string)[];
}

export interface VersionOptions {
  metrics?: Record<string, number>;
  inputs?: Tensor[];
  outputs?: Tensor[];
}

export const FEATURES_INPUT: Tensor = { name: "features", type: "float32", shape: ["N", 4] };
export const PROBABILITIES_OUTPUT: Tensor = { name: "probabilities", type: "float32", shape: ["N", 5] };

export const METRICS_7 = { accuracy: 0.64, f1_macro: 0.47, log_loss: 0.88, latency_p99_ms: 0.9 };
export const METRICS_8 = { accuracy: 0.66, f1_macro: 0.49, log_loss: 0.86, latency_p99_ms: 1.1 };

/** Runs git with fixed identities and, when given, a fixed author and committer date. */
export function gitAt(dir: string, date: string | undefined, ...args: string[]): string {
  return gitWith(dir, date === undefined ? {} : { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, ...args);
}

/** Commits everything at `date` (ISO 8601) and returns the commit sha. */
export function commitAt(dir: string, date: string, message: string): string {
  gitAt(dir, date, "add", "-A");
  gitAt(dir, date, "commit", "-q", "--no-gpg-sign", "-m", message);
  return gitAt(dir, undefined, "rev-parse", "HEAD");
}

/** A version file as `modelci register` writes it: provenance, artifact digest, metrics, signature. */
export function versionYaml(version: number, options: VersionOptions = {}): string {
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  const metrics = options.metrics ?? (version === 7 ? METRICS_7 : METRICS_8);
  const tensor = (t: Tensor) => `{ name: ${t.name}, type: ${t.type}, shape: [${t.shape.join(", ")}] }`;
  return [
    "# yaml-language-server: $schema=../../../../../schemas/json/version.schema.json",
    `version: ${version}`,
    `created: "2025-02-2${version % 10}T12:00:00Z"`,
    `commit: ${sha(`commit ${version}`).slice(0, 40)}`,
    "experiment: weather-logreg",
    "run-id: lr-0.5_l2-0.001",
    "params: { lr: 0.5, epochs: 300, l2: 0.001 }",
    "data:",
    `  train: { path: data/weather-train.csv, sha256: ${sha("train")}, size: 52311 }`,
    "artifact:",
    `  uri: "local:${sha(`model ${version}`)}"`,
    `  sha256: ${sha(`model ${version}`)}`,
    "  size: 1418",
    "  format: onnx",
    "metrics:",
    ...Object.entries(metrics).map(([name, value]) => `  ${name}: ${value}`),
    "signature:",
    `  inputs: [${(options.inputs ?? [FEATURES_INPUT]).map(tensor).join(", ")}]`,
    `  outputs: [${(options.outputs ?? [PROBABILITIES_OUTPUT]).map(tensor).join(", ")}]`,
    "",
  ].join("\n");
}

export function writeVersion(dir: string, version: number, options?: VersionOptions): void {
  mkdirSync(join(dir, "models/weather/versions"), { recursive: true });
  writeFileSync(join(dir, `models/weather/versions/${version}.yaml`), versionYaml(version, options));
}

/** Sets what a target serves of the weather model: a version, a canary split, or nothing. */
export function serve(dir: string, target: string, served: number | [number, number][] | undefined): void {
  const entry =
    served === undefined
      ? "{}"
      : typeof served === "number"
        ? `{ weather: { version: ${served} } }`
        : `{ weather: { canary: [${served.map(([v, w]) => `{ version: ${v}, weight: ${w} }`).join(", ")}] } }`;
  editFile(join(dir, `deployments/${target}.yaml`), (text) =>
    text.replace(/^models: .*$/m, `models: ${entry}`),
  );
}

export interface PromotionRepo {
  dir: string;
  /** The base branch's tip: 8 serves in staging since 2025-03-03T00:00Z, 7 in production. */
  base: string;
  /** A pull request on top of `base` that promotes 8 to production (at 2025-03-03T01:00Z). */
  head: string;
}

export interface RepoOptions {
  /** Options of version 8's file. */
  v8?: VersionOptions;
  /** Whether the base already serves 8 in staging (default true). */
  stagedEight?: boolean;
  /** Edits to make in the pull request besides promoting 8 to production. */
  edit?: (dir: string) => void;
  /** Commits to make on the base branch after staging 8, before the pull request branches off. */
  onBase?: (dir: string) => void;
}

/**
 * The promotion history, committed in `dir` (a folder holding the weather declarations): 7 serves
 * in staging and production (2025-03-01), 8 is registered (2025-03-02) and goes to staging
 * (2025-03-03). The pull request then promotes 8 to production.
 */
export function commitPromotionHistory(dir: string, options: RepoOptions = {}): PromotionRepo {
  gitAt(dir, undefined, "init", "-q", "-b", "main");
  writeVersion(dir, 7);
  serve(dir, "staging", 7);
  serve(dir, "production", 7);
  commitAt(dir, "2025-03-01T00:00:00Z", "register 7, serve it everywhere");
  writeVersion(dir, 8, options.v8);
  commitAt(dir, "2025-03-02T00:00:00Z", "register 8");
  if (options.stagedEight !== false) {
    serve(dir, "staging", 8);
    commitAt(dir, "2025-03-03T00:00:00Z", "promote weather 8 to staging");
  }
  options.onBase?.(dir);
  const base = gitAt(dir, undefined, "rev-parse", "HEAD");
  gitAt(dir, undefined, "checkout", "-q", "-b", "promote");
  serve(dir, "production", 8);
  options.edit?.(dir);
  const head = commitAt(dir, "2025-03-03T01:00:00Z", "promote weather 8 to production");
  return { dir, base, head };
}

/** The weather example, with the promotion history of commitPromotionHistory. */
export function promotionRepo(options: RepoOptions = {}): PromotionRepo {
  return commitPromotionHistory(tempDir("examples/weather"), options);
}
