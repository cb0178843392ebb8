/**
 * GitHub Deployments for deploy targets: one deployment per target and commit. A job with
 * `environment:` has GitHub create one by itself; it is reused (same sha and environment) rather
 * than a second created. Created ones say `auto_merge: false` and `required_contexts: []`, so
 * GitHub neither merges the default branch into the ref nor waits on commit statuses.
 */
import type { Octokit } from "@octokit/rest";
import { fitDescription } from "../../core/deploy/describe-status.ts";
import { githubUserError } from "./classify-github-error.ts";

export interface DeploymentRef {
  owner: string;
  repo: string;
  sha: string;
  environment: string;
}

export interface StartedDeployment {
  id: number;
  /** Whether it was created here (else GitHub created it for the job). */
  created: boolean;
  /** An earlier deployment of this sha and environment that succeeded: nothing to deploy. */
  alreadyDeployed?: { id: number; description: string | null } | undefined;
  /** Whether `id` itself is the one that already succeeded (then no status is written). */
  reusedSuccess?: boolean;
}

export type DeploymentState =
  | "in_progress"
  | "success"
  | "failure"
  | "error"
  | "inactive"
  | "queued"
  | "pending";

/** Finds this sha's deployment to the environment (reused) or creates one; notes an earlier success. */
export async function startDeployment(
  octokit: Octokit,
  ref: DeploymentRef,
  details: { target: string; description: string; payload: Record<string, unknown> },
): Promise<StartedDeployment> {
  const { owner, repo, sha, environment } = ref;
  try {
    const { data: found } = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      sha,
      environment,
      per_page: 5,
    });
    let success: StartedDeployment["alreadyDeployed"];
    for (const deployment of found) {
      const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
        owner,
        repo,
        deployment_id: deployment.id,
        per_page: 1,
      });
      if (statuses[0]?.state === "success") {
        success = { id: deployment.id, description: statuses[0].description ?? null };
        break;
      }
    }
    const newest = found[0];
    if (newest !== undefined) {
      return {
        id: newest.id,
        created: false,
        alreadyDeployed: success,
        reusedSuccess: success?.id === newest.id,
      };
    }
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
    return { id: data.id, created: true };
  } catch (error) {
    throw githubUserError(error, `recording the deployment of ${details.target} to ${environment}`);
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
