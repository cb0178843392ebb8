import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadValidProject } from "../adapters/pipeline/load-valid-project.ts";
import { compareRunOutputs } from "../core/compare/compare-run-outputs.ts";
import { decideHasChampion } from "../core/compare/decide-has-champion.ts";
import type { Project } from "../core/declarations/project.ts";
import { recordChampion } from "../core/registry/find-champion.ts";
import type { EvaluatedChampion, EvaluationResult } from "../schemas/evaluation-result.ts";
import { evaluationResultSchema } from "../schemas/evaluation-result.ts";
import { makeResult } from "./helpers/comparison-fixtures.ts";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

const BASE = "b".repeat(40);
const CHAMPION = { accuracy: 0.86, f1_macro: 0.43, log_loss: 0.52, latency_p99_ms: 0.2 };
const NONE: EvaluatedChampion = { version: null, target: "production", declarations: BASE };
const V1: EvaluatedChampion = { version: 1, target: "production", declarations: BASE };

/** The weather example: production (its baseline target) serves v1. */
let deployed: Project;
/** The same declarations with no deployment at all: the weather model has no champion. */
let undeployed: Project;

beforeAll(async () => {
  deployed = await loadValidProject(join(REPO_ROOT, "examples/weather"));
  undeployed = { ...deployed, deployments: new Map() };
});

/** A weather-logreg result; `champion` is what evaluate recorded at the base. */
function result(options: { baseline?: boolean; champion?: EvaluatedChampion }): EvaluationResult {
  const made: EvaluationResult = makeResult({
    experiment: "weather-logreg",
    metrics: { ...CHAMPION, f1_macro: 0.44 },
    ...(options.baseline ? { baseline: CHAMPION, intervals: { f1_macro: [0, 0.02] } } : {}),
  });
  return options.champion === undefined ? made : { ...made, champion: options.champion };
}

/** The report's judgement of one result against the declarations of the merged tree. */
function judge(merged: Project, value: EvaluationResult) {
  const [model] = compareRunOutputs(merged, [{ file: "a.json", value }], [], undefined);
  return model;
}

describe("decideHasChampion", () => {
  it("follows what evaluate recorded, not the declarations the report reads", () => {
    expect(decideHasChampion([result({ champion: NONE })], true)).toBe(false);
    expect(decideHasChampion([result({ champion: V1 })], false)).toBe(true);
    expect(decideHasChampion([result({ baseline: true, champion: V1 })], false)).toBe(true);
    // A result compared with a baseline always has one to compare with.
    expect(decideHasChampion([result({ baseline: true })], false)).toBe(true);
    // Results that record no lookup (older, or written without declarations): the declarations decide.
    expect(decideHasChampion([result({})], true)).toBe(true);
    expect(decideHasChampion([result({})], false)).toBe(false);
    expect(decideHasChampion([], true)).toBe(true);
  });

  it("the record is valid against the published schema, and says null where no version is served", () => {
    expect(recordChampion(deployed, "weather", BASE)).toEqual(V1);
    expect(recordChampion(undeployed, "weather", "working-tree")).toEqual({
      version: null,
      target: "production",
      declarations: "working-tree",
    });
    expect(recordChampion(deployed, "no-such-model", BASE)).toEqual({ version: null, declarations: BASE });
    expect(evaluationResultSchema.safeParse(result({ champion: NONE })).success).toBe(true);
  });
});

describe("the report judges the champion as it was at the pull request's base", () => {
  it("a pull request that adds the model's first deployment and trains it: no-champion, not error", () => {
    const first = judge(deployed, result({ champion: NONE }));
    expect(first?.verdict).toBe("no-champion");
    expect(first?.hasChampion).toBe(false);
    expect(first?.gates.map((g) => g.status)).toEqual(["pass", "skipped", "skipped", "pass"]);
    // Without evaluate's record the merged tree decides, which is the error this guards against.
    expect(judge(deployed, result({}))?.verdict).toBe("error");
  });

  it("a pull request that removes the model's deployment is still compared with the champion deployed", () => {
    const removed = judge(undeployed, result({ baseline: true, champion: V1 }));
    expect(removed?.verdict).toBe("pass");
    expect(removed?.hasChampion).toBe(true);
    expect(removed?.gates.find((g) => g.gate.metric === "f1_macro")).toMatchObject({
      status: "pass",
      champion: 0.43,
    });
  });

  it("a model promoted at the base (deployments unchanged, or only changed by the pull request) is compared with it", () => {
    for (const merged of [deployed, undeployed]) {
      const promoted = judge(merged, result({ baseline: true, champion: V1 }));
      expect(promoted?.verdict).toBe("pass");
      expect(promoted?.metrics.find((row) => row.metric === "f1_macro")?.champion).toBe(0.43);
    }
  });

  it("a self-reported result follows the record too: no champion at the base skips regression gates", () => {
    const self: EvaluationResult = {
      "result-version": 1,
      "self-reported": true,
      run: { model: "weather", experiment: "weather-logreg", "run-id": "default" },
      champion: NONE,
      command: ["python", "eval.py"],
      "metrics-file": "out/metrics.json",
      metrics: { ...CHAMPION, f1_macro: 0.44 },
      "wall-time-ms": 5,
    };
    expect(judge(deployed, self)?.verdict).toBe("no-champion");
    expect(judge(deployed, { ...self, champion: V1 })?.verdict).toBe("error");
  });

  it("a champion at the base whose metrics the result lacks is an error, never a silent pass", () => {
    const missing = judge(undeployed, result({ champion: V1 }));
    expect(missing?.verdict).toBe("error");
    expect(missing?.gates.find((g) => g.gate.metric === "f1_macro")?.explanation).toMatch(
      /no champion metrics/,
    );
  });
});
