/**
 * The `serve` deploy driver against the real `modelci serve` (issue 11's done-when): a commit that
 * changes deployments/staging.yaml, then `modelci deploy --before HEAD~1 --after HEAD`, and the
 * server the test started serves the new version. The commit is made without touching the working
 * tree (as on a runner whose checkout lags), so it is the driver, not the server's file watcher,
 * that makes the swap.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { serveDriver } from "../adapters/deploy/drivers/serve-driver.ts";
import { freePort } from "./helpers/free-port.ts";
import { constantModel, registerVersion } from "./helpers/serve-repo.ts";
import { CLI, commitAll, git, runCli, tempDir } from "./helpers/temp-repo.ts";

const BODY = JSON.stringify({
  inputs: [{ name: "features", shape: [1, 7], datatype: "FP32", data: [0, 12.2, 5, 3, 0, 0.5, 0.866] }],
});

let server: ChildProcess | undefined;
let dir = "";
afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = once(server, "exit");
    server.kill("SIGTERM");
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The staging file with `models` set (YAML flow text), as bytes for a commit. */
function stagingWith(models: unknown): string {
  const doc = parseDocument(readFileSync(join(dir, "deployments/staging.yaml"), "utf8"));
  doc.set("models", models);
  return doc.toString();
}

/** Commits deployments/staging.yaml as `text` without writing the working tree. */
function commitStaging(text: string, message: string): void {
  const blob = join(dir, ".git/staging-next.yaml");
  writeFileSync(blob, text);
  const id = git(dir, "hash-object", "-w", blob);
  git(dir, "update-index", "--cacheinfo", `100644,${id},deployments/staging.yaml`);
  git(dir, "commit", "-q", "--no-gpg-sign", "-m", message);
}

async function infer(url: string, path = "/v2/models/weather/infer"): Promise<string> {
  const response = await fetch(`${url}${path}`, { method: "POST", body: BODY });
  const answer = (await response.json()) as { model_version?: string; error?: string };
  expect(response.status, answer.error).toBe(200);
  expect(response.headers.get("x-model-version")).toBe(answer.model_version);
  return answer.model_version ?? "";
}

describe("modelci deploy through the serve driver to a running modelci serve", () => {
  it("swaps the server to the committed version, reports a refused reload, and fails with no server", async () => {
    dir = tempDir("examples/weather");
    await registerVersion(dir, 2, constantModel(4));
    const port = await freePort();
    const staging = parseDocument(readFileSync(join(dir, "deployments/staging.yaml"), "utf8"));
    staging.setIn(["driver", "port"], port);
    staging.setIn(["monitoring", "current", "path"], "logs/inputs.jsonl");
    writeFileSync(join(dir, "deployments/staging.yaml"), staging.toString());
    writeFileSync(join(dir, ".gitignore"), "logs/\n");
    commitAll(dir, "weather v1 and v2; staging serves v1");

    server = spawn(process.execPath, [CLI, "serve", "--target", "staging", "--root", dir], {
      stdio: "ignore",
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      const ready = await fetch(`${url}/v2/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      expect(server.exitCode).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await infer(url)).toBe("1");

    commitStaging(stagingWith({ weather: { version: 2 } }), "deploy weather v2 to staging");
    expect(await infer(url)).toBe("1");
    const deploy = runCli([
      "deploy",
      "--target",
      "staging",
      "--before",
      "HEAD~1",
      "--after",
      "HEAD",
      "--root",
      dir,
    ]);
    expect(deploy.stderr).toBe("");
    expect(deploy.code, deploy.stdout).toBe(0);
    expect(deploy.stdout).toContain("GET /v2/models/weather/versions/2/ready: ready");
    expect(deploy.stdout).toMatch(/^staging: success: /m);
    expect((await fetch(`${url}/v2/models/weather/versions/2/ready`)).status).toBe(200);
    expect((await fetch(`${url}/v2/models/weather/versions/1/ready`)).status).toBe(404);
    for (let i = 0; i < 5; i++) expect(await infer(url)).toBe("2");
    expect(await infer(url, "/v2/models/weather/versions/2/infer")).toBe("2");

    // The file is the server's state: it now holds v2, so a reload (or the watcher) keeps v2.
    expect(parse(readFileSync(join(dir, "deployments/staging.yaml"), "utf8")).models).toEqual({
      weather: { version: 2 },
    });
    const reload = await fetch(`${url}/admin/reload`, { method: "POST" });
    expect(await reload.json()).toEqual({
      reloaded: true,
      changed: false,
      models: { weather: { versions: [{ version: 2, weight: 100 }] } },
    });

    // An unregistered version: the real server's 409 and what still serves, in the driver's error.
    const driver = serveDriver({ kind: "serve", host: "127.0.0.1", port, "body-limit": 16 * 1024 * 1024 });
    const unregistered = {
      target: "staging",
      environment: "staging",
      commit: git(dir, "rev-parse", "HEAD"),
      rollback: false,
      models: [
        {
          model: "weather",
          versions: [
            { version: 9, weight: 100, uri: "x", sha256: "0".repeat(64), size: 1, path: "/dev/null" },
          ],
        },
      ],
      previous: [],
    };
    const context = { dir, env: {}, log: () => {} };
    await expect(driver.deploy(unregistered, context)).rejects.toThrow(
      /refused the reload \(409\): [\s\S]*weather version 9 is not registered[\s\S]*; still serving \{"weather":\{"versions":\[\{"version":2,"weight":100\}\]\}\}/,
    );
    expect(await infer(url)).toBe("2");
    expect(parse(readFileSync(join(dir, "deployments/staging.yaml"), "utf8")).models).toEqual({
      weather: { version: 2 },
    });

    // No server: the deploy fails and says so.
    const exited = once(server, "exit");
    server.kill("SIGTERM");
    await exited;
    const failed = runCli(["deploy", "--target", "staging", "--root", dir]);
    expect(failed.code).toBe(1);
    expect(`${failed.stdout}${failed.stderr}`).toContain(`no modelci serve is running at 127.0.0.1:${port}`);
  }, 60_000);
});
