/**
 * The deploy plan: which targets a push changes, what each must serve now and what it served before
 * (what a rollback restores). Pure: it compares the declarations at two commits.
 */
import type { Deployment, Driver } from "../../schemas/deployment.ts";
import type { Project } from "../declarations/project.ts";
import { ConfigError } from "../errors.ts";
import { listServed } from "../promotion/describe-served.ts";

/** One version a target serves, with its traffic share and the artifact to deploy. */
export interface DeployVersion {
  version: number;
  /** Share of traffic in percent (100 without a canary). */
  weight: number;
  artifact: { uri: string; sha256: string; size?: number | undefined };
}

/** What a target serves of one model. */
export interface ModelRelease {
  model: string;
  versions: DeployVersion[];
}

/** One target to deploy. Its models deploy together, through one driver call. */
export interface TargetPlan {
  target: string;
  /** The target's file, relative to the repository folder. */
  file: string;
  environment: string;
  driver: Driver;
  rollback: Deployment["rollback"];
  /** What the target must serve after the deploy, models by name. */
  models: ModelRelease[];
  /** What it served before (what a rollback restores); undefined when there is nothing to go back to. */
  previous: ModelRelease[] | undefined;
  /** "weather 1 → 2", one per model that changed (or "re-deploy"). */
  changes: string[];
}

export interface DeployPlan {
  targets: TargetPlan[];
  /** Targets whose file did not change what they serve or how they deploy: not touched. */
  unchanged: string[];
  /** Targets whose file was removed: not undeployed (that is left to people). */
  removed: string[];
}

export interface PlanOptions {
  /** Only this target. */
  only?: string | undefined;
  /** Deploy the targets (all, or `only`) even when unchanged: a re-deploy. */
  force?: boolean;
}

/**
 * Diffs the deployment targets of `before` (undefined: nothing deployed yet) and `after`. A target
 * deploys when what it serves (versions, weights), its driver or its environment changed.
 */
export function planDeploy(
  before: Project | undefined,
  after: Project,
  options: PlanOptions = {},
): DeployPlan {
  if (options.only !== undefined && !after.deployments.has(options.only)) {
    const known = [...after.deployments.keys()].sort().join(", ") || "none";
    throw new ConfigError(`no deployment target ${JSON.stringify(options.only)} (targets: ${known})`);
  }
  const plan: DeployPlan = { targets: [], unchanged: [], removed: [] };
  for (const [name, declared] of [...after.deployments].sort(([a], [b]) => a.localeCompare(b))) {
    if (options.only !== undefined && name !== options.only) continue;
    const old = before?.deployments.get(name)?.value;
    const now = declared.value;
    const models = releasesOf(after, now, `${declared.file}`);
    const previous = old === undefined ? undefined : releasesOf(before ?? after, old, declared.file, after);
    const changed =
      old === undefined ||
      !sameReleases(previous ?? [], models) ||
      JSON.stringify(old.driver) !== JSON.stringify(now.driver) ||
      environmentOf(name, old) !== environmentOf(name, now);
    if (!changed && options.force !== true) {
      plan.unchanged.push(name);
      continue;
    }
    plan.targets.push({
      target: name,
      file: declared.file,
      environment: environmentOf(name, now),
      driver: now.driver,
      rollback: now.rollback,
      models,
      previous: previous !== undefined && sameReleases(previous, models) ? undefined : previous,
      changes: changed ? describeChanges(previous ?? [], models) : ["re-deploy"],
    });
  }
  if (options.only === undefined && before !== undefined) {
    for (const name of before.deployments.keys()) if (!after.deployments.has(name)) plan.removed.push(name);
  }
  return plan;
}

/** The GitHub Environment a target deploys through: `environment`, else the file name. */
export function environmentOf(target: string, deployment: Pick<Deployment, "environment">): string {
  return deployment.environment ?? target;
}

/** A target's models with each version's artifact, read from the version files of `project` (or `fallback`). */
function releasesOf(
  project: Project,
  deployment: Deployment,
  file: string,
  fallback?: Project,
): ModelRelease[] {
  return Object.entries(deployment.models)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, served]) => ({
      model,
      versions: listServed(served).map(({ version, weight }) => {
        const declared =
          project.versions.get(model)?.get(version) ?? fallback?.versions.get(model)?.get(version);
        if (declared === undefined) {
          throw new ConfigError(
            `${file}: ${model} version ${version} is not registered (models/${model}/versions/${version}.yaml is missing)`,
          );
        }
        const { uri, sha256, size } = declared.value.artifact;
        return { version, weight, artifact: { uri, sha256, size } };
      }),
    }));
}

/** Whether two targets serve the same versions with the same weights and artifacts. */
export function sameReleases(a: readonly ModelRelease[], b: readonly ModelRelease[]): boolean {
  return describeServed(a) === describeServed(b);
}

/** "weather 7 (90%) + 8 (10%), other 3"; "nothing" when empty. */
export function describeServed(releases: readonly ModelRelease[]): string {
  if (releases.length === 0) return "nothing";
  return releases.map((r) => `${r.model} ${describeVersions(r.versions)}`).join(", ");
}

/** "7" or "7 (90%) + 8 (10%)". */
export function describeVersions(versions: readonly Pick<DeployVersion, "version" | "weight">[]): string {
  if (versions.length === 0) return "nothing";
  if (versions.length === 1 && versions[0]?.weight === 100) return String(versions[0].version);
  return versions.map((v) => `${v.version} (${v.weight}%)`).join(" + ");
}

function describeChanges(before: readonly ModelRelease[], after: readonly ModelRelease[]): string[] {
  const names = [...new Set([...before, ...after].map((r) => r.model))].sort();
  const changes: string[] = [];
  for (const name of names) {
    const was = before.find((r) => r.model === name)?.versions ?? [];
    const now = after.find((r) => r.model === name)?.versions ?? [];
    const from = describeVersions(was);
    const to = describeVersions(now);
    if (from !== to) changes.push(`${name} ${from} → ${to}`);
  }
  return changes.length > 0 ? changes : ["driver or environment changed"];
}
