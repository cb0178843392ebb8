/**
 * What a deploy driver is given and what it answers. Core declares the interface; each kind of driver
 * is one adapter (`adapters/deploy/drivers/`), picked by `driver.kind` in `deployments/<target>.yaml`.
 */
import type { Driver } from "../../schemas/deployment.ts";
import type { ModelRelease } from "./plan-deploy.ts";

/** One version to deploy, with its verified local copy. */
export interface VerifiedVersion {
  version: number;
  weight: number;
  uri: string;
  sha256: string;
  size: number;
  /** The local path of the bytes, whose sha256 has been checked. */
  path: string;
}

export interface VerifiedModel {
  model: string;
  versions: VerifiedVersion[];
}

/** A whole target, handed to its driver at once. */
export interface DeployRequest {
  target: string;
  environment: string;
  /** The commit whose deployment file this is. */
  commit: string;
  /** True when this call restores the previous versions after a failure. */
  rollback: boolean;
  models: VerifiedModel[];
  /** What the target served before (absent on a rollback, and when nothing came before). */
  previous?: ModelRelease[] | undefined;
}

export interface DriverContext {
  /** The repository folder (the working tree); commands run there. */
  dir: string;
  env: NodeJS.ProcessEnv;
  /** One line of the deploy's log. */
  log: (line: string) => void;
  /** The repository and token, for drivers that talk to GitHub. */
  github?: { owner: string; repo: string; token: string; baseUrl: string } | undefined;
}

export interface DriverResult {
  /** Where the deployed target can be reached, for the deployment status's environment_url. */
  url?: string | undefined;
}

/** A deploy driver: deploys a whole target, then (optionally) checks that it is ready. */
export interface DeployDriver {
  deploy(request: DeployRequest, context: DriverContext): Promise<DriverResult>;
  /** Throws when what was deployed does not become ready. */
  ready?(request: DeployRequest, context: DriverContext): Promise<void>;
}

export type DriverKind = Driver["kind"];
