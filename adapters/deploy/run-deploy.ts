/**
 * The whole deploy of a push (or a re-deploy): the plan, then each changed target in turn through
 * deployTarget, each recorded as a GitHub Deployment with statuses when a GitHub client is given.
 * One target's failure does not stop the others; every target is left whole (new or previous).
 */
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import type { DeployDriver, DriverContext } from "../../core/deploy/deploy-driver.ts";
import { fitDescription } from "../../core/deploy/describe-status.ts";
import { describeServed, type TargetPlan } from "../../core/deploy/plan-deploy.ts";
import { setDeploymentStatus, startDeployment } from "../github/record-deployment.ts";
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
  /** Tests and benches: a driver instead of the registry's. */
  driver?: DeployDriver;
}

export type DeployOutcome = TargetOutcome | (Omit<TargetOutcome, "result"> & { result: "already-deployed" });

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
  const started = await startDeployment(github.octokit, ref, {
    target: target.target,
    description: `${target.target}: ${describeServed(target.models)}`,
    payload: { modelci: { target: target.target, models: describeServed(target.models) } },
  });
  options.log(
    `[${target.target}] GitHub deployment ${started.id} (${started.created ? "created" : "reused"}) in ${target.environment}`,
  );
  if (started.alreadyDeployed !== undefined && options.force !== true) {
    const description = fitDescription(
      `Already deployed at ${after.slice(0, 7)} (deployment ${started.alreadyDeployed.id}): ${describeServed(target.models)}; nothing deployed`,
    );
    options.log(`[${target.target}] ${description}`);
    if (!started.reusedSuccess) {
      await setDeploymentStatus(
        github.octokit,
        { ...ref, id: started.id },
        { state: "success", description, logUrl: github.logUrl, environmentUrl: github.environmentUrl },
      );
    }
    return {
      target: target.target,
      environment: target.environment,
      state: "success",
      result: "already-deployed",
      description,
    };
  }
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
