import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workingTreeSource } from "../adapters/files/working-tree-source.ts";
import { validateProject } from "../core/rules/validate-project.ts";
import { tempDir } from "./helpers/temp-repo.ts";

/** The valid repository with churn 1 and 2 registered and staging's `models:` replaced. */
async function validateStaging(models: string, driver: string) {
  const dir = tempDir();
  cpSync("test/fixtures/valid-repo", dir, { recursive: true });
  const v1 = readFileSync(join(dir, "models/churn/versions/1.yaml"), "utf8");
  writeFileSync(join(dir, "models/churn/versions/2.yaml"), v1.replace(/^version: 1$/m, "version: 2"));
  writeFileSync(
    join(dir, "deployments/staging.yaml"),
    `environment: staging\nmodels:\n${models}\ndriver: ${driver}\n`,
  );
  const { diagnostics } = await validateProject(workingTreeSource(dir));
  return diagnostics.map((d) => `${d.line}:${d.col}: ${d.field}: ${d.message}`);
}

describe("KServe split rule (kubernetes driver)", () => {
  it("accepts one version and a two-version whole-percent canary; fractions and shadow stay valid for the serve driver", async () => {
    const two =
      "  churn:\n    canary:\n      - { version: 1, weight: 90 }\n      - { version: 2, weight: 10 }";
    expect(await validateStaging(two, "{ kind: kubernetes, namespace: models }")).toEqual([]);
    expect(await validateStaging("  churn: { version: 2 }", "{ kind: kubernetes }")).toEqual([]);
    const odd =
      "  churn:\n    canary:\n      - { version: 1, weight: 87.5 }\n      - { version: 2, weight: 12.5 }\n    shadow: 1";
    expect(await validateStaging(odd, "{ kind: serve }")).toEqual([]);
    expect(await validateStaging(odd, "{ kind: kubernetes }")).toEqual([
      "5:31: models.churn.canary[0].weight: the kubernetes driver (KServe) splits by a whole percent (canaryTrafficPercent is an integer); 87.5 is not",
      "7:13: models.churn.shadow: the kubernetes driver (KServe) cannot copy traffic to a shadow version; shadow needs the serve driver",
    ]);
  });
});
