import { CHECK_OUTPUT_LIMIT, truncateMarkdown } from "../../adapters/github/truncate-markdown.ts";
import type { GitHub, Repo } from "./types.ts";

/** The promotion gate's check run name: branch protection requires it, from this App. */
export const PROMOTION_CHECK = "modelci/promotion";

/** The check run's button to evaluate again (after soak time passes, or a team change). */
export const RERUN_ACTION = {
  label: "Re-run",
  identifier: "rerun",
  description: "Evaluate the promotion gate again",
} as const;

export interface PromotionCheck extends Repo {
  headSha: string;
  conclusion: "success" | "failure";
  title: string;
  summary: string;
}

/**
 * Writes one completed check run on the head commit. Each evaluation is a new check run: GitHub
 * shows, and branch protection reads, the newest one of the name.
 */
export async function createPromotionCheck(gh: GitHub, check: PromotionCheck): Promise<number> {
  const { data } = await gh.rest.checks.create({
    owner: check.owner,
    repo: check.repo,
    name: PROMOTION_CHECK,
    head_sha: check.headSha,
    status: "completed",
    conclusion: check.conclusion,
    output: {
      title: check.title.slice(0, 255),
      summary: truncateMarkdown(check.summary, CHECK_OUTPUT_LIMIT),
    },
    actions: [{ ...RERUN_ACTION }],
  });
  return data.id;
}
