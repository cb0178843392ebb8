/**
 * The MODELCI_* variables the `command` driver passes to its command, describing the whole target.
 * Model names become upper case with every other character as `_`: `weather-v2` → `WEATHER_V2`.
 */

import { buildRequestBody } from "./build-request-body.ts";
import type { DeployRequest, VerifiedVersion } from "./deploy-driver.ts";

/** `weather-v2` → `WEATHER_V2`. */
export function envName(model: string): string {
  return model.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** The version with the most traffic (the higher number on a tie). */
export function mainOf<T extends Pick<VerifiedVersion, "version" | "weight">>(
  versions: readonly T[],
): T | undefined {
  return [...versions].sort((a, b) => b.weight - a.weight || b.version - a.version)[0];
}

export function buildDeployEnv(request: DeployRequest): Record<string, string> {
  const env: Record<string, string> = {
    MODELCI_TARGET: request.target,
    MODELCI_ENVIRONMENT: request.environment,
    MODELCI_COMMIT: request.commit,
    MODELCI_ROLLBACK: String(request.rollback),
    MODELCI_MODELS: request.models.map((m) => m.model).join(","),
    MODELCI_DEPLOYMENT: JSON.stringify(buildRequestBody(request)),
  };
  for (const { model, versions } of request.models) {
    const key = `MODELCI_MODEL_${envName(model)}`;
    const main = mainOf(versions);
    if (main !== undefined) {
      env[`${key}_VERSION`] = String(main.version);
      env[`${key}_ARTIFACT`] = main.path;
      env[`${key}_SHA256`] = main.sha256;
    }
    env[`${key}_VERSIONS`] = versions.map((v) => v.version).join(",");
    env[`${key}_WEIGHTS`] = versions.map((v) => v.weight).join(",");
    for (const v of versions) {
      env[`${key}_V${v.version}_ARTIFACT`] = v.path;
      env[`${key}_V${v.version}_SHA256`] = v.sha256;
      env[`${key}_V${v.version}_WEIGHT`] = String(v.weight);
    }
  }
  return env;
}
