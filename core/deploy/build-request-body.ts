import type { DeployRequestBody } from "../../schemas/deploy-request.ts";
import type { DeployRequest } from "./deploy-driver.ts";

/** The published JSON form of a deploy request (schemas/json/deploy-request.schema.json): no local paths. */
export function buildRequestBody(request: DeployRequest): DeployRequestBody {
  return {
    target: request.target,
    environment: request.environment,
    commit: request.commit,
    rollback: request.rollback,
    models: request.models.map(({ model, versions }) => ({
      model,
      versions: versions.map(({ version, weight, uri, sha256, size }) => ({
        version,
        weight,
        uri,
        sha256,
        size,
      })),
    })),
    previous:
      request.previous?.map(({ model, versions }) => ({
        model,
        versions: versions.map(({ version, weight, artifact }) => ({
          version,
          weight,
          uri: artifact.uri,
          sha256: artifact.sha256,
          ...(artifact.size === undefined ? {} : { size: artifact.size }),
        })),
      })) ?? null,
  };
}
