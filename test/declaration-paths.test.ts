/**
 * Where declarations are read from: symbolic links and roots that are not folders give the same
 * errors in the working tree and at a git revision; nothing outside the repository is read.
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { workingTreeSource } from "../adapters/files/working-tree-source.ts";
import { gitRefSource } from "../adapters/git/git-ref-source.ts";
import { createOctokit } from "../adapters/github/create-octokit.ts";
import { createGitHubCache, createGitReader } from "../app/github/git-reader.ts";
import { loadDeclarations, TARGETS_ONLY } from "../app/github/load-declarations.ts";
import type { GitHub } from "../app/github/types.ts";
import { formatDiagnostic } from "../core/declarations/diagnostic.ts";
import { validateProject } from "../core/rules/validate-project.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { stubRepo } from "./helpers/github-repo-stub.ts";
import { commitAll, git, tempDir } from "./helpers/temp-repo.ts";

/** Diagnostics of the working tree and of HEAD, which must be the same. */
async function bothWays(dir: string): Promise<{ tree: string[]; head: string[] }> {
  const options = { requireDeclarations: true };
  const tree = (await validateProject(workingTreeSource(dir), options)).diagnostics.map(formatDiagnostic);
  const head = (await validateProject(await gitRefSource(dir, "HEAD"), options)).diagnostics.map(
    formatDiagnostic,
  );
  return { tree, head };
}

/** Files outside any repository that a hostile link points at. */
function outsideFolder(): string {
  const outside = tempDir();
  mkdirSync(join(outside, "models/evil"), { recursive: true });
  writeFileSync(
    join(outside, "models/evil/model.yaml"),
    "task: classification\nowners: [mallory]\nprimary-metric: accuracy\n",
  );
  writeFileSync(join(outside, "prod.yaml"), "environment: prod\nmodels: {}\ndriver: { kind: serve }\n");
  return outside;
}

const NOT_FOLLOWED =
  "modelci reads declarations only from regular files and folders and follows no symbolic links";

describe("symbolic links among declarations", () => {
  it("are errors, the same in the working tree and at a revision, whether they leave or not", async () => {
    const outside = outsideFolder();
    const dir = tempDir("test/fixtures/valid-repo");
    symlinkSync(join(outside, "prod.yaml"), join(dir, "deployments/prod.yaml"));
    symlinkSync("staging.yaml", join(dir, "deployments/alias.yaml"));
    commitAll(dir);
    const { tree, head } = await bothWays(dir);
    expect(tree).toEqual([
      `deployments/alias.yaml:1:1: is a symbolic link to "staging.yaml"; ${NOT_FOLLOWED}`,
      `deployments/prod.yaml:1:1: is a symbolic link to ${JSON.stringify(join(outside, "prod.yaml"))}, outside the repository; ${NOT_FOLLOWED}`,
    ]);
    expect(head).toEqual(tree);
  });

  it("a symlinked models/ folder, or a root through a symlink, is not followed out of the repository", async () => {
    const outside = outsideFolder();
    const dir = tempDir("test/fixtures/valid-repo");
    symlinkSync(join(outside, "models"), join(dir, "ml"));
    mkdirSync(join(dir, "sub"));
    symlinkSync(outside, join(dir, "sub/root"));
    writeFileSync(join(dir, "modelci.yaml"), "root: sub/root\n");
    commitAll(dir);
    const { tree, head } = await bothWays(dir);
    expect(tree).toEqual([
      `sub/root:1:1: is a symbolic link to ${JSON.stringify(outside)}, outside the repository; ${NOT_FOLLOWED}`,
    ]);
    expect(head).toEqual(tree);

    const models = tempDir("test/fixtures/valid-repo");
    symlinkSync(join(outside, "models"), join(models, "models/evil"));
    commitAll(models);
    const linked = await bothWays(models);
    expect(linked.tree).toEqual([
      `models/evil:1:1: is a symbolic link to ${JSON.stringify(join(outside, "models"))}, outside the repository; ${NOT_FOLLOWED}`,
    ]);
    expect(linked.head).toEqual(linked.tree);
  });
});

describe("symbolic links, as the App reads a commit through GitHub's API", () => {
  afterEach(resetGitHubApi);

  it("are the same errors as in a checkout, and the link is never read as a declaration", async () => {
    const outside = outsideFolder();
    const dir = tempDir("test/fixtures/valid-repo");
    symlinkSync(join(outside, "prod.yaml"), join(dir, "deployments/prod.yaml"));
    symlinkSync("staging.yaml", join(dir, "deployments/alias.yaml"));
    // a link elsewhere in the repository is none of the App's business
    symlinkSync("README.md", join(dir, "LINK.md"));
    commitAll(dir);
    const sha = git(dir, "rev-parse", "HEAD").trim();
    const api = githubApi();
    const stub = stubRepo(api, dir);
    stub
      .tree(sha)
      .blobs(sha, [
        "modelci.yaml",
        "deployments/production.yaml",
        "deployments/staging.yaml",
        "deployments/prod.yaml",
        "deployments/alias.yaml",
      ]);
    const gh = createOctokit({ token: "t", env: {}, retryDelayMs: () => 0 }) as unknown as GitHub;
    const reader = createGitReader(gh, { owner: "Codertocat", repo: "Hello-World" }, createGitHubCache());
    const app = await loadDeclarations(reader, sha, TARGETS_ONLY);
    const links = app.diagnostics.filter((d) => d.message.includes("symbolic link")).map(formatDiagnostic);
    const { head } = await bothWays(dir);
    expect(links).toEqual([
      `deployments/alias.yaml:1:1: is a symbolic link to "staging.yaml"; ${NOT_FOLLOWED}`,
      `deployments/prod.yaml:1:1: is a symbolic link to ${JSON.stringify(join(outside, "prod.yaml"))}, outside the repository; ${NOT_FOLLOWED}`,
    ]);
    expect(links).toEqual(head);
    expect([...app.project.deployments.keys()].sort()).toEqual(["production", "staging"]);
    api.done();
  });
});

describe("roots that are not folders", () => {
  it("`root:` naming a file is an error at the field, not a valid empty project", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "modelci.yaml"), "root: README.md\n");
    writeFileSync(join(dir, "README.md"), "# hello\n");
    commitAll(dir);
    const { tree, head } = await bothWays(dir);
    expect(tree).toEqual(['modelci.yaml:1:7: root: "README.md" is a file; root must be a folder']);
    expect(head).toEqual(tree);
  });

  it("a root with no declarations at all is an error that says what was searched", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "modelci.yaml"), "root: ml\n");
    mkdirSync(join(dir, "ml"));
    writeFileSync(join(dir, "ml/notes.txt"), "nothing here\n");
    commitAll(dir);
    const { tree, head } = await bothWays(dir);
    expect(tree).toEqual([
      "modelci.yaml:1:7: root: no declarations found: searched ml/experiments/, ml/models/ and ml/deployments/ (working tree); check --root and `root` in modelci.yaml",
    ]);
    expect(head).toHaveLength(1);
    expect(head[0]).toMatch(/^modelci\.yaml:1:7: root: no declarations found: .* \(commit [0-9a-f]{12}\)/);
    // Only `validate` asks for declarations; loading an empty project elsewhere stays quiet.
    expect((await validateProject(workingTreeSource(dir))).diagnostics).toEqual([]);
  });
});
