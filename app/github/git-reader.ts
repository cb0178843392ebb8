/**
 * Git data through GitHub's REST API, without a clone: trees, blobs, a file's commits, a file at a
 * commit, and the pull requests of a commit. Everything keyed by a commit or blob sha is immutable,
 * so it is cached for the life of the App: a re-evaluation after a review reads none of it again.
 */
import { UserError } from "../../core/errors.ts";
import { LruCache } from "./lru-cache.ts";
import type { HistoryPage } from "./read-batch-answer.ts";
import { type GitHub, hasStatus, type Repo } from "./types.ts";

/** The files of a commit that declarations live in: path → git blob id. */
export interface Tree {
  sha: string;
  files: ReadonlyMap<string, string>;
  /**
   * Every symbolic link of the commit, anywhere: path → the blob id of its target text. Never
   * followed; declarations read through one are errors, as in a checkout.
   */
  symlinks?: ReadonlyMap<string, string>;
}

/** A commit that changed a file, from the commits API. */
export interface FileCommit {
  sha: string;
  /** Committer date: when the change reached the branch (for a rebase or squash merge). */
  date: string;
  message: string;
}

/** A pull request that a commit belongs to, as GitHub lists it. */
export interface CommitPull {
  number: number;
  state: string;
  mergedAt: string | null;
  headSha: string;
  baseRef: string;
}

export interface GitHubCache {
  trees: LruCache<string, Promise<Tree>>;
  blobs: LruCache<string, Promise<Uint8Array>>;
  fileCommits: LruCache<string, Promise<FileCommit[]>>;
  filesAt: LruCache<string, Promise<Uint8Array | undefined>>;
  commitPulls: LruCache<string, Promise<CommitPull[]>>;
  /** Paths a pull request changes, by base and head: the same pair always changes the same files. */
  pullFiles: LruCache<string, Promise<string[]>>;
  /** Pages of a file's history with its contents, by commit, path and cursor (GraphQL). */
  histories: LruCache<string, Promise<HistoryPage>>;
  /** Who asked for a command's pull request, by pull request and head: its commits fix it. */
  requesters: LruCache<string, string[]>;
}

export function createGitHubCache(): GitHubCache {
  return {
    trees: new LruCache(500),
    // Declaration files are small; 64 MiB holds thousands of them.
    blobs: new LruCache(20_000, { maxWeight: 64 * 1024 * 1024, weigh: () => 4096 }),
    fileCommits: new LruCache(2000),
    filesAt: new LruCache(5000),
    commitPulls: new LruCache(2000),
    pullFiles: new LruCache(2000),
    histories: new LruCache(2000),
    requesters: new LruCache(2000),
  };
}

/** The git file mode of a symbolic link. */
const SYMLINK_MODE = "120000";

/** Where declarations can be: modelci.yaml and anything under an experiments/, models/ or deployments/ folder. */
const DECLARATION_PATH = /(^|\/)(experiments|models|deployments)\//;

export interface GitReader {
  readonly repo: Repo;
  tree(commit: string): Promise<Tree>;
  blob(sha: string): Promise<Uint8Array>;
  /** Commits of `ref`'s history that changed `path`, newest first (up to 100). */
  fileCommits(ref: string, path: string): Promise<FileCommit[]>;
  /** A file's bytes at a commit; undefined when it does not exist there. */
  fileAt(commit: string, path: string): Promise<Uint8Array | undefined>;
  /** The merged pull request that brought a commit to the default branch, or the open ones holding it. */
  commitPulls(commit: string): Promise<CommitPull[]>;
}

/** Caches a promise; a failed request is forgotten so the next call asks again. */
export function remember<T>(
  cache: LruCache<string, Promise<T>>,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  return loading;
}

function decode(content: string, encoding: string): Uint8Array {
  return new Uint8Array(Buffer.from(content, encoding === "base64" ? "base64" : "utf8"));
}

export function createGitReader(gh: GitHub, where: Repo, cache: GitHubCache): GitReader {
  const repo = { owner: where.owner, repo: where.repo };
  const at = `${repo.owner}/${repo.repo}`.toLowerCase();
  return {
    repo,
    tree: (commit) =>
      remember(cache.trees, `${at}@${commit}`, async () => {
        const { data } = await gh.rest.git.getTree({ ...repo, tree_sha: commit, recursive: "1" });
        if (data.truncated) {
          throw new UserError(
            `the tree of ${commit.slice(0, 12)} has more files than GitHub's trees API returns in one response; the App cannot read its declarations (run \`modelci promotion-check\` in a workflow instead)`,
          );
        }
        const files = new Map<string, string>();
        const symlinks = new Map<string, string>();
        for (const entry of data.tree) {
          const { path, sha, type, mode } = entry;
          if (type !== "blob" || path === undefined || sha === undefined) continue;
          if (mode === SYMLINK_MODE) symlinks.set(path, sha);
          else if (path === "modelci.yaml" || DECLARATION_PATH.test(path)) files.set(path, sha);
        }
        return { sha: commit, files, symlinks };
      }),
    blob: (sha) =>
      remember(cache.blobs, sha, async () => {
        const { data } = await gh.rest.git.getBlob({ ...repo, file_sha: sha });
        return decode(data.content, data.encoding);
      }),
    fileCommits: (ref, path) =>
      remember(cache.fileCommits, `${at}@${ref}:${path}`, async () => {
        const { data } = await gh.rest.repos.listCommits({ ...repo, sha: ref, path, per_page: 100 });
        return data.map((c) => ({
          sha: c.sha,
          date: c.commit.committer?.date ?? c.commit.author?.date ?? "",
          message: c.commit.message,
        }));
      }),
    fileAt: (commit, path) =>
      remember(cache.filesAt, `${at}@${commit}:${path}`, async () => {
        try {
          const { data } = await gh.rest.repos.getContent({ ...repo, path, ref: commit });
          if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
          return decode(data.content, data.encoding);
        } catch (error) {
          if (hasStatus(error, 404)) return undefined;
          throw error;
        }
      }),
    commitPulls: (commit) => {
      const key = `${at}@${commit}`;
      const pulls = remember(cache.commitPulls, key, async () => {
        const { data } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
          ...repo,
          commit_sha: commit,
        });
        return data.map((pull) => ({
          number: pull.number,
          state: pull.state,
          mergedAt: pull.merged_at,
          headSha: pull.head.sha,
          baseRef: pull.base.ref,
        }));
      });
      // Only merged pull requests are settled; an open one may still move or merge.
      pulls.then(
        (list) => list.some((pull) => pull.mergedAt === null) && cache.commitPulls.delete(key),
        () => {},
      );
      return pulls;
    },
  };
}
