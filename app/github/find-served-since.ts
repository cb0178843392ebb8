import { servedKey } from "../../core/promotion/check-stages.ts";
import { readServedVersions } from "../../core/promotion/find-serving-stints.ts";
import type { SoakNeed } from "../../core/promotion/list-soak-needs.ts";
import type { GitReader } from "./git-reader.ts";

/**
 * When a version started serving in a target, in the stint that lasts to `base`: walking the
 * commits that changed the target's file from the newest, the oldest one after which the version
 * still serves. The newest commit's content is the base's, so a version put there by the last
 * change costs two requests: the commit list and the file one commit earlier.
 *
 * The commits API lists history the way `git log -- path` does, not first-parent, so a change that
 * came through a merge commit shows as the branch's commit. Its time is therefore the later of the
 * commit's committer date and when the pull request that brought it merged; soak time is never
 * counted from before the change reached the base branch.
 */
async function findStintStart(reader: GitReader, base: string, need: SoakNeed): Promise<Date | undefined> {
  const commits = await reader.fileCommits(base, need.file);
  let start = commits[0];
  if (start === undefined) return undefined;
  for (const commit of commits.slice(1)) {
    const served = readServedVersions(await reader.fileAt(commit.sha, need.file));
    if (!served?.get(need.model)?.includes(need.version)) break;
    start = commit;
  }
  const merged = (await reader.commitPulls(start.sha))
    .map((pull) => Date.parse(pull.mergedAt ?? ""))
    .filter((time) => !Number.isNaN(time));
  const committed = Date.parse(start.date);
  if (Number.isNaN(committed)) return undefined;
  return new Date(Math.max(committed, merged.length > 0 ? Math.min(...merged) : committed));
}

/** `target@model@version` → since when, for each soak the gate will measure. */
export async function findServedSince(
  reader: GitReader,
  base: string,
  needs: readonly SoakNeed[],
): Promise<Map<string, Date>> {
  const since = new Map<string, Date>();
  await Promise.all(
    needs.map(async (need) => {
      const start = await findStintStart(reader, base, need);
      if (start !== undefined) since.set(servedKey(need.target, need.model, need.version), start);
    }),
  );
  return since;
}
