import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

const actions = readdirSync(join(REPO_ROOT, "actions")).filter((name) =>
  existsSync(join(REPO_ROOT, "actions", name, "src/index.ts")),
);

describe("action.yml", () => {
  it.each(actions)(
    "%s runs on node24 from a committed dist/, and declares exactly the inputs its runner reads",
    async (name) => {
      const action = parse(readFileSync(join(REPO_ROOT, "actions", name, "action.yml"), "utf8"));
      expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
      expect(existsSync(join(REPO_ROOT, "actions", name, "dist/index.js"))).toBe(true);
      expect(action.description).toBeTruthy();
      const { inputsSchema } = (await import(`../actions/${name}/src/inputs.ts`)) as {
        inputsSchema: z.ZodObject;
      };
      expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(inputsSchema.shape).sort());
      for (const [input, spec] of Object.entries(action.inputs as Record<string, { description: string }>)) {
        expect(spec.description, `${name} input ${input}`).toBeTruthy();
      }
      for (const [output, spec] of Object.entries(
        action.outputs as Record<string, { description: string }>,
      )) {
        expect(spec.description, `${name} output ${output}`).toBeTruthy();
      }
    },
  );
});
