/**
 * Declaration files at a commit in two git calls: one `ls-tree` of the folder, then every YAML
 * file's bytes in one `cat-file --batch`. gitRefSource asks git once per file and per folder,
 * which a deploy (two commits, on a busy runner) feels.
 */
import { simpleGit } from "simple-git";
import type { FileSource } from "../../core/declarations/file-source.ts";
import { resolveCommit } from "./changed-paths.ts";
import { readBlobs } from "./read-blobs.ts";

export async function snapshotSource(dir: string, rev: string): Promise<FileSource> {
  const commit = /^[0-9a-f]{40}$/.test(rev) ? rev : await resolveCommit(dir, rev);
  const listed = await simpleGit({ baseDir: dir }).raw(["ls-tree", "-r", "-z", "--name-only", commit]);
  const files = listed
    .split("\0")
    .filter((p) => p !== "")
    .sort();
  const yaml = files.filter((p) => /\.ya?ml$/.test(p));
  let blobs: Promise<Map<string, Uint8Array | undefined>> | undefined;
  const load = () => {
    blobs ??= readBlobs(
      dir,
      yaml.map((p) => `${commit}:./${p}`),
    ).then((found) => new Map(yaml.map((p, i) => [p, found[i]])));
    return blobs;
  };
  return {
    label: `commit ${commit.slice(0, 12)}`,
    async listFiles(path) {
      if (path === "" || path === ".") return files;
      const prefix = path.endsWith("/") ? path : `${path}/`;
      return files.filter((p) => p.startsWith(prefix));
    },
    async readFile(path) {
      const cached = await load();
      if (cached.has(path)) return cached.get(path);
      if (!files.includes(path)) return undefined;
      return (await readBlobs(dir, [`${commit}:./${path}`]))[0];
    },
  };
}
