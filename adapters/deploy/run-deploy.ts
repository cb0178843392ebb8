/**
 * The whole deploy of a push (or a re-deploy): the plan, then each changed target in turn through
 * deployTarget, each recorded as a GitHub Deployment with statuses when a GitHub client is given.
 * One target's failure does not stop the others; every target is left whole (new or previous).
 */
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import type { DeployDriver, DriverContext } from "../../core/deploy/deploy-driver.ts";
import { fitDescription } from "../../core/deploy/describe-status.ts";
import { judgeCommitOrder } from "../../core/deploy/judge-commit-order.ts";
import { describeServed, type TargetPlan } from "../../core/deploy/plan-deploy.ts";
import {
  compareCommits,
  createDeployment,
  type DeploymentState,
  findDeployments,
  setDeploymentStatus,
} from "../github/record-deployment.ts";
import { type CollectedPlan, collectDeployPlan } from "./collect-deploy-plan.ts";
import { deployTarget, type TargetOutcome } from "./deploy-target.ts";

export interface GitHubDeployments {
  octokit: Octokit;
  owner: string;
  repo: string;
  logUrl?: string | undefined;
  /** Used when the driver gives no URL. */
  environmentUrl?: string | undefined;
  /** The driver context's GitHub details (github-release driver). */
  driver: NonNullable<DriverContext["github"]>;
}

export interface RunDeployOptions {
  dir: string;
  before?: string | undefined;
  after: string;
  only?: string | undefined;
  dryRun?: boolean;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  error: (line: string) => void;
  github?: GitHubDeployments | undefined;
  /** A re-deploy (workflow_dispatch): deploy even when GitHub has a success for this sha. */
  force?: boolean;
  /**
   * A deliberate deploy (workflow_dispatch with `allow-older`): deploy even when the environment's
   * latest success is at a newer or diverged commit. Without it, such a push re-run is skipped.
   */
  allowOlder?: boolean;
  /** Tests and benches: a driver instead of the registry's. */
  driver?: DeployDriver;
}

export type DeployOutcome =
  | TargetOutcome
  | (Omit<TargetOutcome, "result"> & { result: "already-deployed" | "skipped-older" | "refused" });

export interface DeployRun extends CollectedPlan {
  outcomes: DeployOutcome[];
}

/** "Plan a1b2c3d → e4f5a6b: production: weather 1 → 2; unchanged: staging". */
export function describePlan(collected: CollectedPlan): string[] {
  const { plan, before, after } = collected;
  const lines = [
    `Deploy plan ${before === undefined ? "" : `${before.slice(0, 7)} → `}${after.slice(0, 7)}:`,
  ];
  for (const t of plan.targets) {
    lines.push(
      `  ${t.target} (environment ${t.environment}, ${t.driver.kind} driver): ${t.changes.join("; ")}`,
    );
    lines.push(
      `    serve ${describeServed(t.models)}; rollback to ${t.previous === undefined ? "nothing" : describeServed(t.previous)}`,
    );
  }
  if (plan.targets.length === 0) lines.push("  no target changed: nothing to deploy");
  if (plan.unchanged.length > 0) lines.push(`  unchanged, not touched: ${plan.unchanged.join(", ")}`);
  if (plan.removed.length > 0)
    lines.push(`  removed, not undeployed (do it by hand): ${plan.removed.join(", ")}`);
  return lines;
}

async function deployRecorded(
  target: TargetPlan,
  collected: CollectedPlan,
  options: RunDeployOptions,
): Promise<DeployOutcome> {
  const { after, project } = collected;
  const deployOptions = {
    commit: after,
    dir: join(options.dir, project.root),
    store: { dir: options.dir, config: project.config, env: options.env },
    env: options.env,
    log: options.log,
    error: options.error,
    github: options.github?.driver,
    ...(options.driver === undefined ? {} : { driver: options.driver }),
  };
  const github = options.github;
  if (github === undefined) return deployTarget(target, deployOptions);
  const ref = { owner: github.owner, repo: github.repo, sha: after, environment: target.environment };
  const base = { target: target.target, environment: target.environment };
  const found = await findDeployments(github.octokit, ref, target.target);
  const success = found.latestSuccess;
  const note = async (state: DeploymentState, description: string) => {
    if (found.atCommit === undefined) return;
    await setDeploymentStatus(
      github.octokit,
      { ...ref, id: found.atCommit },
      { state, description, logUrl: github.logUrl, environmentUrl: github.environmentUrl },
    );
  };
  if (success?.sha === after && options.force !== true) {
    const description = fitDescription(
      `Already deployed at ${after.slice(0, 7)} (deployment ${success.id}): ${describeServed(target.models)}; nothing deployed`,
    );
    options.log(`[${target.target}] ${description}`);
    if (found.atCommit !== success.id) await note("success", description);
    return { ...base, state: "success", result: "already-deployed", description };
  }
  if (success !== undefined && success.sha !== after && options.allowOlder !== true) {
    const order = await compareCommits(github.octokit, ref, after, success.sha);
    const verdict = judgeCommitOrder({
      ...base,
      commit: after,
      deployed: success,
      order,
      dispatch: options.force === true,
    });
    if (verdict.action !== "deploy") {
      const skip = verdict.action === "skip";
      (skip ? options.log : options.error)(`[${target.target}] ${verdict.message}`);
      // Never "success": that would mark the newer deployment inactive.
      await note(skip ? "inactive" : "error", verdict.message);
      return {
        ...base,
        state: skip ? "success" : "failure",
        result: skip ? "skipped-older" : "refused",
        // In full (outputs, summary, annotations); the deployment status gets it cut to 140.
        description: verdict.message,
      };
    }
  }
  const started = {
    id:
      found.atCommit ??
      (await createDeployment(github.octokit, ref, {
        target: target.target,
        description: `${target.target}: ${describeServed(target.models)}`,
        payload: { modelci: { target: target.target, models: describeServed(target.models) } },
      })),
    created: found.atCommit === undefined,
  };
  options.log(
    `[${target.target}] GitHub deployment ${started.id} (${started.created ? "created" : "reused"}) in ${target.environment}`,
  );
  const id = { ...ref, id: started.id };
  await setDeploymentStatus(github.octokit, id, {
    state: "in_progress",
    description: `Deploying ${describeServed(target.models)}`,
    logUrl: github.logUrl,
  });
  const outcome = await deployTarget(target, deployOptions);
  await setDeploymentStatus(github.octokit, id, {
    state: outcome.state,
    description: outcome.description,
    environmentUrl: outcome.url ?? github.environmentUrl,
    logUrl: github.logUrl,
  });
  return outcome;
}

export async function runDeploy(options: RunDeployOptions): Promise<DeployRun> {
  const collected = await collectDeployPlan(options.dir, options);
  for (const line of describePlan(collected)) options.log(line);
  const outcomes: DeployOutcome[] = [];
  if (options.dryRun === true) return { ...collected, outcomes };
  for (const target of collected.plan.targets) {
    outcomes.push(await deployRecorded(target, collected, options));
  }
  return { ...collected, outcomes };
}
