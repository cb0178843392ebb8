/**
 * GitHub Deployments for deploy targets: one deployment per target and commit. A job with
 * `environment:` has GitHub create one by itself; it is reused (same sha and environment) rather
 * than a second created. The environment's latest success tells a re-run (already deployed) and a
 * stale re-run of an older push (compared with the deployed commit) from a deploy. Created ones say `auto_merge: false` and `required_contexts: []`, so
 * GitHub neither merges the default branch into the ref nor waits on commit statuses.
 */
import type { Octokit } from "@octokit/rest";
import { fitDescription } from "../../core/deploy/describe-status.ts";
import type { CommitOrder } from "../../core/deploy/judge-commit-order.ts";
import { githubUserError } from "./classify-github-error.ts";

export interface DeploymentRef {
  owner: string;
  repo: string;
  sha: string;
  environment: string;
}

export interface FoundDeployments {
  /** The newest deployment of this sha to the environment (GitHub made it for a job with `environment:`). */
  atCommit?: number | undefined;
  /** The environment's latest successful deployment (its newest with a latest status of success), at any commit. */
  latestSuccess?: { id: number; sha: string; description: string | null } | undefined;
}

export type DeploymentState =
  | "in_progress"
  | "success"
  | "failure"
  | "error"
  | "inactive"
  | "queued"
  | "pending";

/** How many of the environment's newest deployments are read for a success: one GraphQL request. */
const LOOKBACK = 20;

const FIND_DEPLOYMENTS = `query ($owner: String!, $repo: String!, $environment: String!, $first: Int!) {
  repository(owner: $owner, name: $repo) {
    deployments(environments: [$environment], first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { databaseId commitOid latestStatus { state description } }
    }
  }
}`;

interface DeploymentNode {
  databaseId: number | null;
  commitOid: string;
  latestStatus: { state: string; description: string | null } | null;
}

/**
 * The environment's newest deployments, in one GraphQL request (REST would need one request per
 * deployment for its statuses): this sha's newest one, and the latest successful one at any commit.
 */
export async function findDeployments(
  octokit: Octokit,
  ref: DeploymentRef,
  target: string,
): Promise<FoundDeployments> {
  const { owner, repo, sha, environment } = ref;
  try {
    const answer = await octokit.graphql<{
      repository: { deployments: { nodes: (DeploymentNode | null)[] } } | null;
    }>(FIND_DEPLOYMENTS, { owner, repo, environment, first: LOOKBACK });
    const nodes = (answer.repository?.deployments.nodes ?? []).filter(
      (n): n is DeploymentNode & { databaseId: number } => n !== null && n.databaseId !== null,
    );
    const success = nodes.find((n) => n.latestStatus?.state === "SUCCESS");
    return {
      atCommit: nodes.find((n) => n.commitOid === sha)?.databaseId,
      latestSuccess:
        success === undefined
          ? undefined
          : {
              id: success.databaseId,
              sha: success.commitOid,
              description: success.latestStatus?.description ?? null,
            },
    };
  } catch (error) {
    throw githubUserError(error, `reading the deployments of ${target} to ${environment}`);
  }
}

/** Creates this sha's deployment to the environment (no job made one). */
export async function createDeployment(
  octokit: Octokit,
  ref: DeploymentRef,
  details: { target: string; description: string; payload: Record<string, unknown> },
): Promise<number> {
  const { owner, repo, sha, environment } = ref;
  try {
    const { data, status } = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: sha,
      environment,
      task: "deploy",
      auto_merge: false,
      required_contexts: [],
      description: fitDescription(details.description),
      payload: details.payload,
      production_environment: /^prod/i.test(environment),
    });
    if (status !== 201 || !("id" in data)) {
      throw new Error(`GitHub did not create the deployment (${status}): ${JSON.stringify(data)}`);
    }
    return data.id;
  } catch (error) {
    throw githubUserError(error, `recording the deployment of ${details.target} to ${environment}`);
  }
}

/** GitHub's compare of `base...head`: "ahead" when head is ahead of base (base is older). */
export async function compareCommits(
  octokit: Octokit,
  ref: { owner: string; repo: string },
  base: string,
  head: string,
): Promise<CommitOrder> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: ref.owner,
      repo: ref.repo,
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    return data.status;
  } catch (error) {
    throw githubUserError(error, `comparing ${base.slice(0, 7)} with the deployed ${head.slice(0, 7)}`);
  }
}

/** Adds a status; a success marks earlier deployments of the environment inactive. */
export async function setDeploymentStatus(
  octokit: Octokit,
  ref: DeploymentRef & { id: number },
  status: {
    state: DeploymentState;
    description: string;
    environmentUrl?: string | undefined;
    logUrl?: string | undefined;
  },
): Promise<void> {
  try {
    await octokit.rest.repos.createDeploymentStatus({
      owner: ref.owner,
      repo: ref.repo,
      deployment_id: ref.id,
      state: status.state,
      description: fitDescription(status.description),
      environment: ref.environment,
      auto_inactive: true,
      ...(status.environmentUrl === undefined ? {} : { environment_url: status.environmentUrl }),
      ...(status.logUrl === undefined ? {} : { log_url: status.logUrl }),
    });
  } catch (error) {
    throw githubUserError(error, `setting the status of deployment ${ref.id} to ${status.state}`);
  }
}
