import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureCommit } from "../adapters/git/ensure-commit.ts";
import { commitAll, git, tempDir } from "./helpers/temp-repo.ts";

describe("ensureCommit", () => {
  it("fetches a base commit that a shallow checkout lacks, by sha, and explains when it cannot", async () => {
    const origin = tempDir();
    writeFileSync(join(origin, "a.txt"), "base\n");
    const base = commitAll(origin, "base");
    writeFileSync(join(origin, "a.txt"), "head\n");
    git(origin, "commit", "-qam", "head", "--no-gpg-sign");
    const clone = tempDir();
    git(clone, "clone", "-q", "--depth=1", `file://${origin}`, ".");
    expect(() => git(clone, "cat-file", "-e", `${base}^{commit}`)).toThrow();
    expect(await ensureCommit(clone, base)).toBe(base);
    expect(await ensureCommit(clone, "HEAD")).toBe(git(origin, "rev-parse", "HEAD"));
    await expect(ensureCommit(clone, "f".repeat(40))).rejects.toThrow(
      `commit ${"f".repeat(40)} is not in the clone and could not be fetched from origin; check out with \`fetch-depth: 2\``,
    );
  });
});
