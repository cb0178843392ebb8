/** The bounds that declarations share with git and with `register`, checked against the real thing. */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseYamlFile } from "../core/declarations/parse-yaml-file.ts";
import { nextVersionNumber } from "../core/registry/next-version-number.ts";
import { MAX_VERSION, NAME_PATTERN, RELATIVE_PATH_PATTERN, versionNumberSchema } from "../schemas/common.ts";

/** Whether git accepts `name` as a branch-name component, at the end and inside, as the App uses it. */
function gitAccepts(name: string): boolean {
  try {
    const branch = `modelci/${name}/promote-${name}-v8-${name}`;
    execFileSync("git", ["check-ref-format", "--branch", branch], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("names", () => {
  const candidates = [
    "weather",
    "churn-v2",
    "a.b",
    "a_b",
    "9",
    "a..b",
    "prod.lock",
    "prod.",
    "a.lockx",
    "x-",
    ".hidden",
    "a/b",
    "a@{b",
    "a b",
    "a~b",
    "a.b.c",
  ];

  it("are accepted exactly when git accepts them in a branch name", () => {
    const accepted = candidates.filter((name) => NAME_PATTERN.test(name));
    expect(accepted).toEqual(["weather", "churn-v2", "a.b", "a_b", "9", "a.lockx", "x-", "a.b.c"]);
    for (const name of accepted) expect(gitAccepts(name), name).toBe(true);
    // What git refuses, the pattern refuses too (the pattern may be stricter: lowercase only).
    for (const name of candidates.filter((n) => !gitAccepts(n))) {
      expect(NAME_PATTERN.test(name), name).toBe(false);
    }
  });
});

describe("version numbers", () => {
  it("share one bound: the schema, the file names and register", () => {
    expect(versionNumberSchema.safeParse(MAX_VERSION).success).toBe(true);
    expect(versionNumberSchema.safeParse(MAX_VERSION + 1).success).toBe(false);
    expect(nextVersionNumber([`${MAX_VERSION - 1}.yaml`])).toBe(MAX_VERSION);
    expect(() => nextVersionNumber([`${MAX_VERSION}.yaml`])).toThrow(
      "version 999999999 is the largest version number allowed (999999999); no number is left to register",
    );
  });
});

describe("relative paths", () => {
  it("stay inside the root: no absolute paths, no '..', '.' or empty parts", () => {
    const good = ["data/train.csv", ".modelci/artifacts", "out/model.onnx", "data/**", "a..b/c"];
    const bad = ["../x", "/etc/passwd", "a/../b", "./a", "a//b", "a/", "C:/x", "a\\b", "..", ".", "a\u0000b"];
    for (const path of good) expect(RELATIVE_PATH_PATTERN.test(path), path).toBe(true);
    for (const path of bad) expect(RELATIVE_PATH_PATTERN.test(path), path).toBe(false);
  });
});

describe("reserved keys", () => {
  const parse = (text: string) => parseYamlFile("x.yaml", new TextEncoder().encode(text));

  it("are refused anywhere, with their position, except as data names in a version's profile", () => {
    const refused = parse("params:\n  lr: 1\n  constructor: 2\nlist:\n  - { prototype: 1 }\n");
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.diagnostics.map((d) => `${d.line}:${d.col} ${d.field}`)).toEqual([
        "3:3 params.constructor",
        "5:7 list[0].prototype",
      ]);
    }
    const profile = parse("profile:\n  features:\n    constructor:\n      frequencies: { prototype: 3 }\n");
    expect(profile.ok).toBe(true);
    expect(parse("profile:\n  features:\n    x:\n      frequencies: { __proto__: 3 }\n").ok).toBe(false);
  });
});
