import { resolve } from "node:path";
import { listPullCommits } from "../../adapters/git/list-pull-commits.ts";
import { collectPromotionInputs } from "../../adapters/promotion/collect-promotion-inputs.ts";
import { UsageError } from "../../core/errors.ts";
import { evaluatePromotion, type Review } from "../../core/promotion/evaluate-promotion.ts";
import { findRequesters, isAppAuthor } from "../../core/promotion/find-requesters.ts";
import { renderPromotionText } from "../../core/promotion/render-promotion-check.ts";
import type { Command, ParsedArgs } from "../command.ts";
import { revisionOptions, stringOption } from "../parse-command-line.ts";

/** Every value of a repeatable, comma-separated option. */
function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (values.some((v) => typeof v !== "string")) throw new UsageError(`--${name} needs a value`);
  return (values as string[])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** `alice` from `alice` or `@alice`. */
function login(name: string): string {
  return name.startsWith("@") && !name.includes("/") ? name.slice(1) : name;
}

/** `--teams @acme/forecasting=alice,dave` (repeatable) as team → members. */
function parseTeams(args: ParsedArgs): Map<string, Set<string>> {
  const value = args.values.teams;
  const specs = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const teams = new Map<string, Set<string>>();
  for (const spec of specs) {
    const match = typeof spec === "string" ? /^@?([^=/\s]+\/[^=\s]+)=(.*)$/.exec(spec) : null;
    if (match === null || match[1] === undefined || match[2] === undefined) {
      throw new UsageError(`--teams expects @org/team=user,user; got ${JSON.stringify(spec)}`);
    }
    const team = `@${match[1]}`;
    const members = teams.get(team) ?? new Set<string>();
    for (const user of match[2].split(",").map((u) => login(u.trim()))) if (user !== "") members.add(user);
    teams.set(team, members);
  }
  return teams;
}

function parseNow(args: ParsedArgs): Date {
  const text = stringOption(args, "now");
  if (text === undefined) return new Date();
  const now = new Date(text);
  if (Number.isNaN(now.getTime()))
    throw new UsageError(`--now expects an ISO 8601 time; got ${JSON.stringify(text)}`);
  return now;
}

export const promotionCheckCommand: Command = {
  name: "promotion-check",
  help: `Usage: modelci promotion-check --base REV [--head REV] [--root DIR] [--approvals USERS]
         [--changes-requested USERS] [--author USER] [--teams @ORG/TEAM=USERS] [--now ISO] [--json]

Runs the promotion gate locally: what the change from --base to --head proposes (deployment
targets, model policies, version files), judged by the policy in --base: owners' approvals,
stage order, soak time, metric gates, artifact integrity and signature compatibility. Reviews
are simulated: each --approvals user approved the head commit. Exits 0 when the gate would
pass, 1 otherwise.

Options:
  --base REV                 the pull request's base (the policy is read here), e.g. origin/main
  --head REV                 the proposed commit (default: HEAD)
  --root DIR                 repository folder (default: .)
  --approvals USERS          users who approved the head commit, comma-separated (repeatable)
  --changes-requested USERS  users whose latest review requests changes (repeatable)
  --author USER              the pull request's author: their own approval never counts. When it
                             is an App (modelci[bot]), the requesters its commits name
                             (Modelci-Requested-By trailers) are authors too
  --teams @ORG/TEAM=USERS    members of a team among the owners (repeatable)
  --now ISO                  the time soak is measured at (default: now)
  --json                     print the evaluation as JSON

Example:
  modelci promotion-check --base origin/main --approvals alice --author carol \\
    --teams @acme/forecasting=dave,erin`,
  options: {
    base: { type: "string" },
    head: { type: "string", default: "HEAD" },
    root: { type: "string", default: "." },
    approvals: { type: "string", multiple: true },
    "changes-requested": { type: "string", multiple: true },
    author: { type: "string" },
    teams: { type: "string", multiple: true },
    now: { type: "string" },
    json: { type: "boolean", default: false },
  },
  maxPositionals: 0,
  async run(args, output) {
    const { base, head, root } = revisionOptions(args);
    const author = login(stringOption(args, "author") ?? "");
    const teams = parseTeams(args);
    const now = parseNow(args);
    const repository = await collectPromotionInputs(resolve(root), base, head);
    const review = (user: string, state: Review["state"], at: number): Review => ({
      user: login(user),
      state,
      commit_id: repository.headSha,
      submitted_at: new Date(now.getTime() + at).toISOString(),
    });
    const reviews = [
      ...listOption(args, "approvals").map((user) => review(user, "APPROVED", 0)),
      ...listOption(args, "changes-requested").map((user) => review(user, "CHANGES_REQUESTED", 1)),
    ];
    // A pull request a /modelci command opened: who asked for it is its author too.
    const requesters = isAppAuthor(author)
      ? findRequesters(author, await listPullCommits(resolve(root), repository.baseSha, repository.headSha))
      : [];
    const evaluation = evaluatePromotion({
      ...repository,
      now,
      reviews: { reviews, author, requesters, headSha: repository.headSha, teams },
    });
    const context = { base: repository.baseSha, head: repository.headSha };
    if (args.values.json === true) {
      const { baseSha, headSha } = repository;
      output.out(`${JSON.stringify({ base: baseSha, head: headSha, ...evaluation }, null, 2)}\n`);
    } else {
      output.out(renderPromotionText(evaluation, context));
    }
    return evaluation.conclusion === "success" ? 0 : 1;
  },
};
