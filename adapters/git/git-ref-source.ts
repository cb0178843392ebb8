import { simpleGit } from "simple-git";
import {
  type FileSource,
  type PathKind,
  pathPrefixes,
  type Symlink,
} from "../../core/declarations/file-source.ts";
import { UserError } from "../../core/errors.ts";

interface TreeEntry {
  mode: string;
  path: string;
}

const SYMLINK_MODE = "120000";

function kindOfMode(mode: string): PathKind {
  if (mode === SYMLINK_MODE) return "symlink";
  return mode === "040000" ? "folder" : "file";
}

/**
 * Declaration files as they are at a git revision, read through git without a checkout. Paths are
 * relative to `dir`, which may be a subfolder of the repository.
 */
export async function gitRefSource(dir: string, rev: string): Promise<FileSource> {
  const git = simpleGit({ baseDir: dir });
  if (!(await git.checkIsRepo().catch(() => false))) {
    throw new UserError(`${dir} is not inside a git repository; --ref needs one`);
  }
  let commit: string;
  try {
    commit = (await git.raw(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).trim();
  } catch {
    commit = "";
  }
  if (commit === "") throw new UserError(`unknown git revision ${JSON.stringify(rev)}`);

  /** `git ls-tree` entries at the paths (or, recursively, under them), relative to `dir`. */
  const readTree = async (paths: string[], recursive: boolean): Promise<TreeEntry[]> => {
    const args = ["ls-tree", ...(recursive ? ["-r"] : []), "-z", commit, "--"];
    const out = await git.raw([...args, ...paths.map((path) => (path === "" ? "." : path))]);
    return out
      .split("\0")
      .filter((line) => line !== "")
      .map((line) => {
        const tab = line.indexOf("\t");
        return { mode: line.slice(0, line.indexOf(" ")), path: line.slice(tab + 1) };
      });
  };
  const listed = new Map<string, Promise<TreeEntry[]>>();
  /** Everything under a path, listed once for both listFiles and listSymlinks. */
  const listTree = (path: string): Promise<TreeEntry[]> => {
    let entries = listed.get(path);
    if (entries === undefined) {
      entries = readTree([path], true);
      listed.set(path, entries);
    }
    return entries;
  };
  const readBlob = async (path: string): Promise<Uint8Array | undefined> => {
    try {
      return await git.binaryCatFile(["blob", `${commit}:./${path}`]);
    } catch {
      return undefined;
    }
  };
  const kindOf = async (path: string): Promise<PathKind | undefined> => {
    const entry = (await readTree([path], false)).find((e) => e.path === path);
    return entry === undefined ? undefined : kindOfMode(entry.mode);
  };
  const target = async (path: string): Promise<string> =>
    new TextDecoder().decode((await readBlob(path)) ?? new Uint8Array());

  return {
    label: `commit ${commit.slice(0, 12)}`,
    async listFiles(path) {
      const entries = await listTree(path);
      return entries
        .filter((e) => e.mode !== SYMLINK_MODE)
        .map((e) => e.path)
        .sort();
    },
    readFile: readBlob,
    kindOf,
    async listSymlinks(path) {
      const links: Symlink[] = [];
      const prefixes = pathPrefixes(path);
      const kinds = new Map((await readTree(prefixes, false)).map((e) => [e.path, kindOfMode(e.mode)]));
      // ls-tree lists the deepest entries of nested paths; a folder on the way is implied by them.
      for (const [i, prefix] of prefixes.entries()) {
        const kind =
          kinds.get(prefix) ?? (prefixes.slice(i + 1).some((p) => kinds.has(p)) ? "folder" : undefined);
        if (kind === "symlink") links.push({ path: prefix, target: await target(prefix) });
        if (kind !== "folder") return links;
      }
      for (const entry of await listTree(path)) {
        if (entry.mode === SYMLINK_MODE) links.push({ path: entry.path, target: await target(entry.path) });
      }
      return links.sort((a, b) => a.path.localeCompare(b.path));
    },
  };
}
