/**
 * Deploys one target of a plan: verifies every artifact, hands the whole target to its driver,
 * checks readiness, and on failure re-deploys the previous versions through the same driver
 * (`rollback.auto`). Returns the outcome a deployment status reports; never throws for a failed
 * deploy, only for bugs.
 */
import type { DeployDriver, DeployRequest, DriverContext } from "../../core/deploy/deploy-driver.ts";
import { describeMismatch, fitDescription } from "../../core/deploy/describe-status.ts";
import { describeServed, type TargetPlan } from "../../core/deploy/plan-deploy.ts";
import type { StoreContext } from "../stores/create-artifact-store.ts";
import { createDriver } from "./drivers/index.ts";
import { ArtifactMismatch, verifyArtifacts } from "./verify-artifacts.ts";

export interface TargetOutcome {
  target: string;
  environment: string;
  state: "success" | "failure";
  /** For the deployment status: at most 140 characters. */
  description: string;
  url?: string | undefined;
  /** "deployed", "rolled-back", "rollback-failed", "not-deployed" (nothing reached the driver). */
  result: "deployed" | "rolled-back" | "rollback-failed" | "not-rolled-back" | "not-deployed";
  /** Milliseconds from the start of deployTarget to the driver's call, less artifact fetching. */
  driverStartMs?: number;
  /** Milliseconds spent fetching and verifying the artifacts. */
  fetchMs?: number;
}

export interface DeployTargetOptions {
  commit: string;
  /** Where commands run and the serve driver finds deployments/: the modelci root folder. */
  dir: string;
  store: StoreContext;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Loud lines (a failed rollback): `::error::` in Actions. */
  error: (line: string) => void;
  github?: DriverContext["github"];
  /** For tests and benches: the driver to use instead of the registry's. */
  driver?: DeployDriver;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Deploys and checks readiness; throws the driver's error. */
async function deployAndCheck(driver: DeployDriver, request: DeployRequest, context: DriverContext) {
  const result = await driver.deploy(request, context);
  if (driver.ready) await driver.ready(request, context);
  return result;
}

export async function deployTarget(plan: TargetPlan, options: DeployTargetOptions): Promise<TargetOutcome> {
  const started = performance.now();
  const { target, environment } = plan;
  const log = (line: string) => options.log(`[${target}] ${line}`);
  const base = { target, environment };
  const now = describeServed(plan.models);
  let fetchMs = 0;
  let models: DeployRequest["models"];
  try {
    const fetchStarted = performance.now();
    models = await verifyArtifacts(plan.models, options.store, log);
    fetchMs = performance.now() - fetchStarted;
  } catch (error) {
    if (error instanceof ArtifactMismatch) {
      log(`sha256 mismatch for ${error.model} ${error.version} (${error.uri}): nothing deployed`);
      log(`  expected (version file): ${error.expected}`);
      log(`  found (stored bytes):    ${error.actual}`);
      return {
        ...base,
        state: "failure",
        result: "not-deployed",
        description: describeMismatch(error.model, error.version, error.expected, error.actual),
      };
    }
    log(`cannot fetch the artifacts: ${messageOf(error)}; nothing deployed`);
    return {
      ...base,
      state: "failure",
      result: "not-deployed",
      description: fitDescription(`Not deployed: ${messageOf(error)}`),
    };
  }

  const driver = options.driver ?? createDriver(plan.driver);
  const context: DriverContext = { dir: options.dir, env: options.env, log, github: options.github };
  const request: DeployRequest = {
    target,
    environment,
    commit: options.commit,
    rollback: false,
    models,
    previous: plan.previous,
  };
  const driverStartMs = performance.now() - started - fetchMs;
  log(`deploying ${now} through the ${plan.driver.kind} driver`);
  let failure: string;
  try {
    const result = await deployAndCheck(driver, request, context);
    log(`deployed ${now}`);
    return {
      ...base,
      state: "success",
      result: "deployed",
      url: result.url,
      driverStartMs,
      fetchMs,
      description: fitDescription(`Deployed ${now}`),
    };
  } catch (error) {
    failure = messageOf(error);
    log(`deploy failed: ${failure}`);
  }

  if (!plan.rollback.auto) {
    return {
      ...base,
      state: "failure",
      result: "not-rolled-back",
      driverStartMs,
      fetchMs,
      description: fitDescription(`Failed, not rolled back (rollback.auto is off): ${failure}`),
    };
  }
  if (plan.previous === undefined) {
    return {
      ...base,
      state: "failure",
      result: "not-rolled-back",
      driverStartMs,
      fetchMs,
      description: fitDescription(`Failed, nothing earlier to roll back to: ${failure}`),
    };
  }
  const before = describeServed(plan.previous);
  log(`rolling back to ${before}`);
  try {
    const previous = await verifyArtifacts(plan.previous, options.store, log);
    const result = await deployAndCheck(
      driver,
      { ...request, rollback: true, models: previous, previous: undefined },
      context,
    );
    log(`rolled back to ${before}`);
    return {
      ...base,
      state: "failure",
      result: "rolled-back",
      url: result.url,
      driverStartMs,
      fetchMs,
      description: fitDescription(`Rolled back to ${before}: deploy of ${now} failed: ${failure}`),
    };
  } catch (error) {
    const why = messageOf(error);
    options.error(
      `[${target}] ROLLBACK FAILED: ${target} may be serving neither ${now} nor ${before}. Deploy failed: ${failure}. Rollback failed: ${why}`,
    );
    return {
      ...base,
      state: "failure",
      result: "rollback-failed",
      driverStartMs,
      fetchMs,
      description: fitDescription(
        `ROLLBACK FAILED (to ${before}): ${why}; deploy of ${now} failed: ${failure}`,
      ),
    };
  }
}
