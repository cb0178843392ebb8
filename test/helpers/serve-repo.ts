/** A copy of the weather example with a second registered version and a `serve` target, for server tests. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localStore } from "../../adapters/stores/local-store.ts";
import { encodeSoftmaxRegressionModel } from "../../examples/weather/lib/export-onnx.js";
import { tempDir } from "./temp-repo.ts";

export const FEATURES = [
  "precipitation",
  "temp_max",
  "temp_min",
  "wind",
  "precipitation_log1p",
  "month_sin",
  "month_cos",
];
export const CLASSES = ["drizzle", "fog", "rain", "snow", "sun"];

/** A weather-shaped classifier whose answer is always `classes[favourite]`. */
export function constantModel(favourite: number): Uint8Array {
  return encodeSoftmaxRegressionModel({
    weights: CLASSES.map(() => FEATURES.map(() => 0)),
    bias: CLASSES.map((_, c) => (c === favourite ? 5 : 0)),
    features: FEATURES,
    classes: CLASSES,
  });
}

/** Registers `bytes` as version `version` of weather (artifact in the example's local store). */
export async function registerVersion(dir: string, version: number, bytes: Uint8Array): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), "modelci-model-")), "model.onnx");
  writeFileSync(file, bytes);
  const stored = await localStore(join(dir, "artifacts")).put(file, { model: "weather", version });
  const first = readFileSync(join(dir, "models/weather/versions/1.yaml"), "utf8");
  const text = first
    .replace(/^version: 1$/m, `version: ${version}`)
    .replace(/^ {2}uri: .*$/m, `  uri: ${stored.uri}`)
    .replace(/^ {2}sha256: e0b8.*$/m, `  sha256: ${stored.sha256}`)
    .replace(/^ {2}size: 859$/m, `  size: ${stored.size}`);
  writeFileSync(join(dir, `models/weather/versions/${version}.yaml`), text);
  return stored.sha256;
}

/** Writes deployments/local.yaml serving `models` (YAML flow text) with an input log at logs/inputs.jsonl. */
export function writeTarget(dir: string, models: string, extra = "", sample = 1): void {
  writeFileSync(
    join(dir, "deployments/local.yaml"),
    `environment: local
models: { weather: ${models} }
driver: { kind: serve, port: 8080, body-limit: 1048576 }
monitoring:
  schedule: "0 6 * * *"
  current: { path: logs/inputs.jsonl }
  sample: ${sample}
  log: { exclude: [wind], hash: [month_cos] }
${extra}`,
  );
}

/** The weather example with versions 1 (the example's) and 2 (always "sun"), serving a 70/30 canary. */
export async function serveRepo(): Promise<string> {
  const dir = tempDir("examples/weather");
  await registerVersion(dir, 2, constantModel(4));
  writeTarget(dir, "{ canary: [{ version: 1, weight: 70 }, { version: 2, weight: 30 }] }");
  return dir;
}
