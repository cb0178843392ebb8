import { type ServedEntry, setServedModels } from "../../core/commands/edit-deployment-file.ts";
import { readServedEntries, servedOf } from "../../core/commands/read-served-entries.ts";
import { type RollbackEvidence, renderRollbackPull } from "../../core/commands/render-command-pull.ts";
import { UserError } from "../../core/errors.ts";
import { sameServed } from "../../core/promotion/describe-served.ts";
import type { FileCommit } from "../github/git-reader.ts";
import { loadDeclarations, TARGETS_ONLY } from "../github/load-declarations.ts";
import { openCommandPull } from "../github/open-command-pull.ts";
import {
  type CommandContext,
  commandCommitMessage,
  readBranchHead,
  requireTarget,
} from "./command-context.ts";

type Entries = ReadonlyMap<string, ServedEntry>;

/** The models whose served versions differ between two states of a target. */
function differences(current: Entries, previous: Entries): RollbackEvidence["changes"] {
  const changes = new Map<string, { from: ReturnType<typeof servedOf>; to: ReturnType<typeof servedOf> }>();
  for (const model of [...new Set([...current.keys(), ...previous.keys()])].sort()) {
    const from = servedOf(current.get(model));
    const to = servedOf(previous.get(model));
    if (!sameServed(from, to)) changes.set(model, { from, to });
  }
  return changes;
}

/**
 * The newest earlier state of the target's file that served other versions, walking the commits
 * that changed the file (newest first): the state to restore and the commit that left it.
 */
async function findPreviousState(
  ctx: CommandContext,
  commits: readonly FileCommit[],
  file: string,
  current: Entries,
) {
  for (let i = 1; i < commits.length; i++) {
    const commit = commits[i] as FileCommit;
    const bytes = await ctx.reader.fileAt(commit.sha, file);
    if (bytes === undefined) break;
    const entries = readServedEntries(bytes);
    if (entries === undefined) continue;
    const changes = differences(current, entries);
    if (changes.size > 0) return { restored: commit, undone: commits[i - 1] as FileCommit, entries, changes };
  }
  return undefined;
}

/** `/modelci rollback TARGET`: a pull request restoring what the target served before its last change. */
export async function rollbackTarget(ctx: CommandContext, target: string): Promise<string> {
  const branch = `\`${ctx.defaultBranch}\``;
  const baseSha = await readBranchHead(ctx);
  const { project, tree } = await loadDeclarations(ctx.reader, baseSha, TARGETS_ONLY);
  const deployment = requireTarget(project, target, branch);
  const { file } = deployment;
  const blob = tree.files.get(file) as string;
  const text = new TextDecoder().decode(await ctx.reader.blob(blob));
  const current = readServedEntries(new TextEncoder().encode(text)) ?? new Map();
  const commits = await ctx.reader.fileCommits(baseSha, file);
  const previous = await findPreviousState(ctx, commits, file, current);
  if (previous === undefined)
    throw new UserError(
      `no earlier commit of ${file} on ${branch} served other versions; nothing to roll back to`,
    );
  const content = setServedModels(
    text,
    file,
    new Map([...previous.changes.keys()].map((model) => [model, previous.entries.get(model)])),
  );
  const pull = renderRollbackPull({
    target,
    file,
    changes: previous.changes,
    restored: { sha: previous.restored.sha, date: previous.restored.date },
    undone: { sha: previous.undone.sha, message: previous.undone.message },
    requester: ctx.requester,
  });
  const opened = await openCommandPull(ctx.gh, {
    ...ctx.repo,
    branch: `modelci/rollback-${target}-${previous.restored.sha.slice(0, 7)}`,
    base: { ref: ctx.defaultBranch, sha: baseSha },
    file: { path: file, blob, content },
    message: commandCommitMessage(pull.title, ctx),
    title: pull.title,
    body: pull.body,
  });
  if (opened.number === undefined)
    return `another request is opening the pull request to roll ${target} back right now, from ${opened.url}.`;
  return opened.created
    ? `Opened #${opened.number} to roll ${target} back; the \`modelci/promotion\` check judges it.`
    : `#${opened.number} already proposes this rollback of ${target}.`;
}
