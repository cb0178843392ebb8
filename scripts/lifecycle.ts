/**
 * `npm start`: the whole model lifecycle on examples/weather, offline, in a throwaway copy.
 *
 *   1. validate, plan, train, evaluate and compare   modelci run
 *   2. register the best run as weather v2            modelci register weather --run weather-logreg --best
 *   3. deploy v2 to staging, a local modelci serve    modelci serve --target staging, then a commit and
 *                                                     modelci deploy --target staging --before HEAD~1
 *   4. replay the 2015 "live" inputs through it       POST /v1/models/weather:predict
 *   5. check the logged inputs for drift              modelci drift --target staging
 *
 * Every step is the real CLI (`node bin/modelci.js …`) in a git repository made in a temp folder;
 * the repository's own example is never written. The server is stopped and the folder deleted at
 * the end, on failure and on Ctrl-C.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "bin/modelci.js");
const INPUT_LOG = "logs/staging-inputs.jsonl";

let dir = "";
let server: ChildProcess | undefined;
/** The `modelci` commands running now, stopped on Ctrl-C. */
const running = new Set<ChildProcess>();

/** Runs `modelci …` in the copy; returns its exit code and output (echoed when `show`). */
function modelci(args: string[], show = false): Promise<{ code: number; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args, "--root", dir], { cwd: dir });
    running.add(child);
    let out = "";
    const collect = (chunk: Buffer) => {
      out += chunk;
      if (show) process.stdout.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", fail);
    child.on("close", (code) => {
      running.delete(child);
      done({ code: code ?? 1, out });
    });
  });
}

async function must(args: string[], show = false): Promise<string> {
  const { code, out } = await modelci(args, show);
  if (code !== 0) throw new Error(`modelci ${args.join(" ")} exited with ${code}\n${show ? "" : out}`);
  return out;
}

function git(...args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const env = { ...process.env, GIT_AUTHOR_NAME: "lifecycle", GIT_AUTHOR_EMAIL: "lifecycle@localhost" };
    const child = spawn("git", args, {
      cwd: dir,
      stdio: "ignore",
      env: { ...env, GIT_COMMITTER_NAME: env.GIT_AUTHOR_NAME, GIT_COMMITTER_EMAIL: env.GIT_AUTHOR_EMAIL },
    });
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done() : fail(new Error(`git ${args.join(" ")} failed`))));
  });
}

/** Edits a YAML file of the copy in place, keeping its comments. */
function editYaml(path: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(readFileSync(join(dir, path), "utf8"));
  edit(doc);
  writeFileSync(join(dir, path), doc.toString());
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? done(address.port) : fail()));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, seconds = 30): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function countLines(path: string): number {
  try {
    return readFileSync(join(dir, path), "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
}

async function stopServer(): Promise<void> {
  const child = server;
  server = undefined;
  if (child) await stop(child);
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

async function cleanUp(): Promise<void> {
  await Promise.all([stopServer(), ...[...running].map(stop)]);
  if (dir) rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  // A throwaway git repository holding the example. Its trainer imports onnx-proto: link node_modules.
  dir = mkdtempSync(join(tmpdir(), "modelci-lifecycle-"));
  cpSync(join(ROOT, "examples/weather"), dir, {
    recursive: true,
    filter: (src) => !/[/\\](out|node_modules|\.modelci|logs)$/.test(src),
  });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, ".gitignore"), "node_modules\n.modelci/\nout/\nlogs/\n");
  // Staging serves on a free port and logs every input row it is sent (the example logs 10%).
  const port = await freePort();
  editYaml("deployments/staging.yaml", (doc) => {
    doc.setIn(["driver", "port"], port);
    doc.setIn(["monitoring", "current", "path"], INPUT_LOG);
    doc.setIn(["monitoring", "sample"], 1);
  });
  // v1 was trained with 300 epochs; the same sweep would give v1's bytes again. Train longer.
  editYaml("experiments/weather-logreg.yaml", (doc) => doc.setIn(["params", "epochs"], 600));
  await git("init", "--quiet", "--initial-branch=main");
  await git("add", "-A");
  await git("commit", "--quiet", "-m", "weather example; staging on a free port; 600 epochs");
  console.log(`copied examples/weather to ${dir} (a fresh git repository); training runs 600 epochs\n`);

  // 1. validate, plan, train, evaluate, compare with the champion.
  await must(["run", "--quiet"], true);

  // 2. register the best run.
  const registered = await must(["register", "weather", "--run", "weather-logreg", "--best", "--json"]);
  const version = (JSON.parse(registered) as { version: number }).version;
  await git("add", "-A");
  await git("commit", "--quiet", "-m", `register weather v${version}`);
  console.log(`\n✓ registered weather v${version}`);

  // 3. start the staging server (it serves v1), then deploy v2 to it as a push to main would.
  server = spawn(process.execPath, [CLI, "serve", "--target", "staging", "--root", dir], {
    cwd: dir,
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor("modelci serve", async () => (await fetch(`${base}/v2/health/ready`)).ok);
  editYaml("deployments/staging.yaml", (doc) => doc.setIn(["models", "weather", "version"], version));
  await git("commit", "--quiet", "-am", `deploy weather v${version} to staging`);
  await must(["deploy", "--target", "staging", "--before", "HEAD~1", "--after", "HEAD"]);
  console.log(`✓ deployed to staging (modelci serve at ${base})`);

  // 4. replay 2015 through the server, 73 days a request; the server logs every row (sample: 1).
  const rows = readFileSync(join(dir, "data/live.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, number>);
  const served = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 73) {
    const response = await fetch(`${base}/v1/models/weather:predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ instances: rows.slice(i, i + 73) }),
    });
    if (!response.ok) throw new Error(`predict answered ${response.status}: ${await response.text()}`);
    const answer = (await response.json()) as { model_version: string };
    served.set(answer.model_version, (served.get(answer.model_version) ?? 0) + 1);
  }
  await waitFor("the input log", () => countLines(INPUT_LOG) >= rows.length, 10);
  const versions = [...served.keys()].map((v) => `v${v}`).join(", ");
  console.log(
    `✓ replayed ${rows.length} rows of 2015 (answered by weather ${versions}; logged to ${INPUT_LOG})`,
  );
  await stopServer();

  // 5. drift of the logged inputs against v2's reference profile (its training data, 2012–2013).
  console.log("\n▶ modelci drift --target staging");
  const drift = await modelci(["drift", "--target", "staging"], true);
  if (drift.code > 1) throw new Error(`modelci drift exited with ${drift.code}`);
  const drifted = [...drift.out.matchAll(/^ {2}DRIFT +(\S+)/gm)]
    .map((m) => (m[1] === "(prediction)" ? "the predictions" : m[1]))
    .join(", ");
  const verdict = drift.code === 1 ? "✗ drift verdict: drift" : "✓ drift verdict: no drift";
  console.log(`${verdict} (staging's share 0.5); drifted: ${drifted || "none"}`);

  console.log(`
next:
  npx modelci serve --target staging --root examples/weather      serve the example (docs/serve.md)
  npx modelci drift --target production --root examples/weather   production's check (share 0.25): drift
  npx modelci deploy --target staging --root examples/weather --dry-run   what a deploy does (docs/deploy.md)`);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  if (!stopping) console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  if (!stopping) await cleanUp();
}
