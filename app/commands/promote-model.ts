import { setServedVersion } from "../../core/commands/edit-deployment-file.ts";
import { renderPromotePull } from "../../core/commands/render-command-pull.ts";
import { didYouMean } from "../../core/declarations/did-you-mean.ts";
import { UserError } from "../../core/errors.ts";
import { servedIn } from "../../core/promotion/describe-served.ts";
import { findChampion } from "../../core/registry/find-champion.ts";
import { loadDeclarations, TARGETS_ONLY } from "../github/load-declarations.ts";
import { openCommandPull } from "../github/open-command-pull.ts";
import {
  type CommandContext,
  commandCommitMessage,
  readBranchHead,
  requireTarget,
} from "./command-context.ts";

export interface PromoteCommand {
  model: string;
  version: number;
  target: string;
}

/** `/modelci promote MODEL VERSION to TARGET`: a pull request changing the target's file, with the evidence. */
export async function promoteModel(ctx: CommandContext, command: PromoteCommand): Promise<string> {
  const { model, version, target } = command;
  const branch = `\`${ctx.defaultBranch}\``;
  const baseSha = await readBranchHead(ctx);
  const selection = { ...TARGETS_ONLY, models: new Set([model]), versions: new Set([`${model}@${version}`]) };
  let { project, tree } = await loadDeclarations(ctx.reader, baseSha, selection);
  const policy = project.models.get(model)?.value;
  if (policy === undefined) {
    throw new UserError(
      project.present.models.has(model)
        ? `${project.root}models/${model}/model.yaml is invalid on ${branch}; run \`modelci validate\``
        : `there is no model "${model}" on ${branch}${didYouMean(model, [...project.present.models])}`,
    );
  }
  const deployment = requireTarget(project, target, branch);
  const declared = project.versions.get(model)?.get(version);
  if (declared === undefined) {
    throw new UserError(
      project.present.versions.has(`${model}@${version}`)
        ? `${model} version ${version}'s file is invalid on ${branch}`
        : `${model} has no version ${version} on ${branch}: register it first (${project.root}models/${model}/versions/${version}.yaml)`,
    );
  }
  const from = servedIn(project, target, model);
  if (from.length === 1 && from[0]?.version === version && from[0].weight === 100)
    return `${target} already serves ${model} ${version} on ${branch}; nothing to promote.`;

  const found = findChampion(project, model);
  if (found !== undefined && found.version !== version) {
    selection.versions.add(`${model}@${found.version}`);
    ({ project, tree } = await loadDeclarations(ctx.reader, baseSha, selection));
  }
  const championMetrics = found && project.versions.get(model)?.get(found.version)?.value.metrics;
  const champion =
    found && championMetrics
      ? { target: found.target, version: found.version, metrics: championMetrics }
      : undefined;
  const blob = tree.files.get(deployment.file) as string;
  const content = setServedVersion(
    new TextDecoder().decode(await ctx.reader.blob(blob)),
    deployment.file,
    model,
    version,
  );
  const text = renderPromotePull({
    model,
    version,
    target,
    from,
    file: declared.file,
    declared: declared.value,
    policy,
    ...(champion ? { champion } : {}),
    requester: ctx.requester,
  });
  const opened = await openCommandPull(ctx.gh, {
    ...ctx.repo,
    branch: `modelci/promote-${model}-v${version}-${target}`,
    base: { ref: ctx.defaultBranch, sha: baseSha },
    file: { path: deployment.file, blob, content },
    message: commandCommitMessage(text.title, ctx),
    title: text.title,
    body: text.body,
  });
  if (opened.number === undefined)
    return `another request is opening the pull request to promote ${model} ${version} to ${target} right now, from ${opened.url}.`;
  return opened.created
    ? `Opened #${opened.number} to promote ${model} ${version} to ${target}; the \`modelci/promotion\` check judges it.`
    : `#${opened.number} already proposes promoting ${model} ${version} to ${target}.`;
}
