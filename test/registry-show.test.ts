import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { workingTreeSource } from "../adapters/files/working-tree-source.ts";
import { loadProject } from "../core/declarations/load-project.ts";
import { baselineTarget, findChampion, servedVersions } from "../core/registry/find-champion.ts";
import { servingHistory } from "../core/registry/serving-history.ts";
import { editFile, git, REPO_ROOT, runCli, STACK_TRACE } from "./helpers/temp-repo.ts";
import { copyRepo, RUNS, runIds, trainWeather } from "./helpers/trained-weather.ts";

/** The trained weather example with versions 1 and 2 registered, then promoted through four commits. */
let dir = "";
beforeAll(() => {
  dir = copyRepo(trainWeather());
  const [a = "", b = ""] = runIds(dir);
  for (const id of [a, b]) {
    const result = runCli(["register", "weather", "--root", dir, "--run", join(dir, RUNS, id)]);
    if (result.code !== 0) throw new Error(result.stderr);
  }
  const gitAs = (author: string, ...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: author,
        GIT_AUTHOR_EMAIL: `${author}@example.com`,
        GIT_COMMITTER_NAME: author,
        GIT_COMMITTER_EMAIL: `${author}@example.com`,
      },
    });
  const commit = (author: string, message: string) => gitAs(author, "commit", "-qam", message);
  git(dir, "add", "models");
  commit("alice", "Register weather v1 and v2");
  const serve = (target: string, models: string) =>
    editFile(join(dir, `deployments/${target}.yaml`), (text) =>
      text.replace(/^models: .*$/m, `models: ${models}`),
    );
  serve("staging", "{ weather: { version: 1 } }");
  commit("bob", "Promote weather v1 to staging");
  serve("production", "{ weather: { version: 1 } }");
  commit("carol", "Promote weather v1 to production");
  serve("staging", "{ weather: { canary: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }] } }");
  commit("bob", "Canary weather v2 in staging");
  git(dir, "checkout", "-qb", "promote");
  serve("production", "{ weather: { canary: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }] } }");
  commit("dave", "Canary weather v2 in production");
  git(dir, "checkout", "-q", "main");
  gitAs("erin", "merge", "-q", "--no-ff", "-m", "Merge promote", "promote");
}, 180_000);

function json(args: string[]): Record<string, unknown> {
  const result = runCli([...args, "--root", dir, "--json"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe("modelci show", () => {
  it("shows the latest version by default, and names the champion", () => {
    const result = runCli(["show", "weather", "--root", dir]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("weather: 2 registered versions, latest v2; champion v1 (production)");
    expect(lines[2]).toBe("weather v2  (models/weather/versions/2.yaml)");
    expect(result.stdout).toMatch(
      /^ {2}artifact +local:sha256:[a-f0-9]{64} \(onnx, 859 B, sha256 [a-f0-9]{12}\)$/m,
    );
    expect(result.stdout).toMatch(/^ {2}metrics +f1_macro 0\.\d+, accuracy/m);
    expect(result.stdout).toMatch(/^ {2}inputs +features float32 \[N, 7\]$/m);
    expect(result.stdout).toMatch(/^ {2}profile +731 rows, 7 features \(7 numeric, 0 categorical\)$/m);
    expect(result.stdout).toMatch(/^ {2}serving +production \(10%\), staging \(50%\)$/m);
  });

  it("shows what a target serves, largest weight first, and the champion", () => {
    const production = json(["show", "weather@production"]);
    expect(production).toMatchObject({
      model: "weather",
      target: "production",
      champion: { target: "production", version: 1, weight: 90 },
      serves: [
        { version: 1, weight: 90, champion: true, file: "models/weather/versions/1.yaml" },
        { version: 2, weight: 10, champion: false, file: "models/weather/versions/2.yaml" },
      ],
    });
    const [first] = production.serves as Array<{ manifest: { experiment: string } }>;
    expect(first?.manifest.experiment).toBe("weather-logreg");
    expect(json(["show", "weather@champion"])).toMatchObject({ version: 1, latest: false });
    expect(json(["show", "weather@v2"])).toMatchObject({ version: 2, latest: true });
    const text = runCli(["show", "weather@staging", "--root", dir]).stdout;
    expect(text.split("\n")[0]).toBe("staging serves weather v2 (50%), v1 (50%)");
  });

  it("explains an unknown model, version or target in one line", () => {
    const cases: Array<[string, RegExp]> = [
      ["wether", /^modelci show: no model "wether" \(did you mean "weather"\?\); declared: weather$/],
      ["weather@7", /^modelci show: weather has no version 7; registered: 1, 2$/],
      [
        "weather@stagin",
        /^modelci show: unknown "stagin" in weather@stagin: .*\(did you mean "staging"\?\); targets: production, staging$/,
      ],
    ];
    for (const [reference, message] of cases) {
      const result = runCli(["show", reference, "--root", dir]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
  });
});

describe("modelci history", () => {
  it("tells from git which version each target served, when, and who changed it", () => {
    const history = json(["history", "weather"]);
    const changes = history.changes as Array<Record<string, unknown>>;
    expect(changes.map((c) => [c.target, c.author, c.subject, c.from, c.to])).toEqual([
      ["staging", "bob", "Promote weather v1 to staging", [], [{ version: 1, weight: 100 }]],
      ["production", "carol", "Promote weather v1 to production", [], [{ version: 1, weight: 100 }]],
      [
        "staging",
        "bob",
        "Canary weather v2 in staging",
        [{ version: 1, weight: 100 }],
        [
          { version: 2, weight: 50 },
          { version: 1, weight: 50 },
        ],
      ],
      // A merged pull request counts when it was merged, by the merge commit.
      [
        "production",
        "erin",
        "Merge promote",
        [{ version: 1, weight: 100 }],
        [
          { version: 1, weight: 90 },
          { version: 2, weight: 10 },
        ],
      ],
    ]);
    expect(changes[3]?.commit).toBe(git(dir, "rev-parse", "HEAD"));
    expect(history.champion).toEqual({ model: "weather", target: "production", version: 1, weight: 90 });
    const versions = history.versions as Array<Record<string, unknown>>;
    expect(versions.map((v) => [v.version, (v.registered as { author: string }).author])).toEqual([
      [1, "alice"],
      [2, "alice"],
    ]);
    const text = runCli(["history", "weather", "--root", dir]).stdout;
    expect(text).toMatch(
      / production {2}v1 → v1 \(90%\) \+ v2 \(10%\) {2}[a-f0-9]{12} {2}erin +Merge promote/,
    );
    expect(text).toContain(
      "now (last commit): staging v2 (50%) + v1 (50%), production v1 (90%) + v2 (10%) (champion)",
    );
    expect(text).toMatch(
      /^ {2}v1 {2}created \S+ {2}weather-logreg\/\S+ +trained at [a-f0-9]{12} {2}committed [a-f0-9]{12} by alice/m,
    );
  });

  it("needs a git repository and a known model", () => {
    const result = runCli(["history", "wether", "--root", dir]);
    expect(result.stderr.trim()).toBe(
      'modelci history: no model "wether" (did you mean "weather"?); declared: weather',
    );
    expect(result.code).toBe(1);
  });
});

describe("champion rules", () => {
  it("takes promotion.baseline, else defaults.baseline-target, else the last stage", async () => {
    const { project } = await loadProject(workingTreeSource(join(REPO_ROOT, "examples/weather")));
    expect(baselineTarget(project, "weather")).toBe("production");
    const model = project.models.get("weather");
    if (!model) throw new Error("weather is declared");
    const withConfig = {
      ...project,
      config: { ...project.config, defaults: { "baseline-target": "staging" } },
    };
    expect(baselineTarget(withConfig, "weather")).toBe("staging");
    model.value.promotion.baseline = "canary";
    expect(baselineTarget(withConfig, "weather")).toBe("canary");
    expect(findChampion(withConfig, "weather")).toBeUndefined();
    expect(baselineTarget(project, "nope")).toBeUndefined();
  });

  it("picks a canary's largest weight, ties to the higher version", () => {
    const canary = (split: Array<[number, number]>) => ({
      models: { weather: { canary: split.map(([version, weight]) => ({ version, weight })) } },
    });
    expect(
      servedVersions(
        canary([
          [7, 90],
          [8, 10],
        ]),
        "weather",
      )[0],
    ).toEqual({ version: 7, weight: 90 });
    expect(
      servedVersions(
        canary([
          [7, 50],
          [8, 50],
        ]),
        "weather",
      )[0],
    ).toEqual({ version: 8, weight: 50 });
    expect(servedVersions({ models: {} }, "weather")).toEqual([]);
    const history = servingHistory(
      [
        {
          commit: "a",
          author: "x",
          email: "",
          date: "",
          subject: "",
          changes: [{ target: "prod", deployment: "invalid" }],
        },
        {
          commit: "b",
          author: "x",
          email: "",
          date: "",
          subject: "",
          changes: [{ target: "prod", deployment: canary([[1, 100]]) }],
        },
        {
          commit: "c",
          author: "x",
          email: "",
          date: "",
          subject: "",
          changes: [{ target: "prod", deployment: null }],
        },
      ],
      "weather",
    );
    expect(history.changes.map((c) => [c.commit, c.to])).toEqual([
      ["b", [{ version: 1, weight: 100 }]],
      ["c", []],
    ]);
    expect(history.skipped.map((s) => s.commit)).toEqual(["a"]);
    expect(history.serving.size).toBe(0);
  });
});
