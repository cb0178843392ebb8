import { simpleGit } from "simple-git";
import { UserError } from "../../core/errors.ts";

const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/** owner/repo from a remote URL: `https://host/owner/repo(.git)` or `git@host:owner/repo(.git)`. */
export function parseRemoteUrl(url: string): { owner: string; repo: string } | undefined {
  const match = /[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (!match) return undefined;
  return { owner: match[1] as string, repo: match[2] as string };
}

/**
 * The GitHub repository that holds the releases: `GITHUB_REPOSITORY` (set in GitHub Actions), else
 * the `origin` remote of the repository at `dir`.
 */
export async function resolveGithubRepository(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ owner: string; repo: string }> {
  const named = env.GITHUB_REPOSITORY;
  if (named !== undefined && named !== "") {
    const match = REPOSITORY.exec(named);
    if (!match) throw new UserError(`GITHUB_REPOSITORY must be owner/repo, got ${JSON.stringify(named)}`);
    return { owner: match[1] as string, repo: match[2] as string };
  }
  const url = await simpleGit({ baseDir: dir })
    .raw(["remote", "get-url", "origin"])
    .catch(() => "");
  const parsed = parseRemoteUrl(url);
  if (parsed) return parsed;
  throw new UserError(
    "the github-release store needs the repository: set GITHUB_REPOSITORY=owner/repo or add an `origin` remote",
  );
}
