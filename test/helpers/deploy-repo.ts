/** Git repositories of the weather example with two registered versions, for deploy tests. */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { commitAll, editFile, git, tempDir } from "./temp-repo.ts";

/** A deploy command for tests: records each call's MODELCI_* variables, then fails or deploys. */
const TEST_DRIVER = `// node scripts/test-driver.js ok|fail-new|fail-all
import { appendFileSync } from "node:fs";
const mode = process.argv[2];
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("MODELCI_")));
appendFileSync("driver-calls.jsonl", JSON.stringify(env) + "\\n");
if (mode === "fail-all" || (mode === "fail-new" && env.MODELCI_ROLLBACK !== "true")) {
  console.error("weather " + env.MODELCI_MODEL_WEATHER_VERSION + " did not start: out of memory");
  process.exit(3);
}
process.argv[2] = env.MODELCI_TARGET;
await import("./deploy.js");
`;

export interface DeployRepo {
  dir: string;
  /** sha256 of versions 1 and 2. */
  sha: { 1: string; 2: string };
  /** The first commit: production and staging serve version 1. */
  base: string;
}

/** The weather example as a git repository, version 2 registered (its artifact in the local store). */
export function deployRepo(productionRun = "node scripts/deploy.js production"): DeployRepo {
  const dir = tempDir("examples/weather");
  const v1 = readFileSync(join(dir, "models/weather/versions/1.yaml"), "utf8");
  const sha1 = /sha256: ([a-f0-9]{64})/.exec(v1.split("artifact:")[1] ?? "")?.[1] ?? "";
  const bytes = Buffer.concat([
    readFileSync(join(dir, "artifacts/sha256", sha1.slice(0, 2), sha1)),
    Buffer.from("v2"),
  ]);
  const sha2 = createHash("sha256").update(bytes).digest("hex");
  const stored = join(dir, "artifacts/sha256", sha2.slice(0, 2), sha2);
  mkdirSync(dirname(stored), { recursive: true });
  writeFileSync(stored, bytes);
  writeFileSync(
    join(dir, "models/weather/versions/2.yaml"),
    v1
      .replace(/^version: 1$/m, "version: 2")
      .replaceAll(sha1, sha2)
      .replace(/size: 859/, `size: ${bytes.length}`),
  );
  writeFileSync(join(dir, "scripts/test-driver.js"), TEST_DRIVER);
  writeFileSync(join(dir, ".gitignore"), "served/\ndriver-calls.jsonl\n");
  editFile(join(dir, "deployments/production.yaml"), (t) =>
    t.replace(/^driver: .*$/m, `driver: { kind: command, run: ${productionRun}, timeout-minutes: 1 }`),
  );
  const base = commitAll(dir, "weather 1 everywhere");
  return { dir, sha: { 1: sha1, 2: sha2 }, base };
}

/** Commits a new `models:` line (and optionally driver line) in a target's file; returns the commit. */
export function changeTarget(dir: string, target: string, models: string, driver?: string): string {
  editFile(join(dir, `deployments/${target}.yaml`), (t) => {
    let next = t.replace(/^models: .*$/m, `models: ${models}`);
    if (driver !== undefined) next = next.replace(/^driver: .*$/m, `driver: ${driver}`);
    return next;
  });
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--no-gpg-sign", "-m", `${target}: ${models}`);
  return git(dir, "rev-parse", "HEAD");
}

/** The MODELCI_* variables of each call the test driver recorded. */
export function driverCalls(dir: string): Record<string, string>[] {
  try {
    return readFileSync(join(dir, "driver-calls.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, string>);
  } catch {
    return [];
  }
}
