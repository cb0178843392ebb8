/** The loaded version that answers a request for a model: explicit, by routing key, or by weight. */

import { pickVersion, routingPoint } from "../core/serve/pick-version.ts";
import { RequestError } from "../core/serve/request-error.ts";
import type { LoadedVersion } from "./load-version.ts";
import type { ModelEntry, ModelPool } from "./model-pool.ts";

export function findModel(pool: ModelPool, model: string): ModelEntry {
  const state = pool.state;
  if (state === undefined) throw new RequestError(503, "the server is not ready: no model is loaded yet");
  const entry = state.models.get(model);
  if (entry === undefined) {
    const served = [...state.models.keys()].map((m) => JSON.stringify(m)).join(", ") || "none";
    throw new RequestError(404, `unknown model ${JSON.stringify(model)}; this server serves ${served}`);
  }
  return entry;
}

export function chooseVersion(
  pool: ModelPool,
  model: string,
  explicit: string | undefined,
  key: string | undefined,
): { entry: ModelEntry; loaded: LoadedVersion } {
  const entry = findModel(pool, model);
  let number: number | undefined;
  if (explicit !== undefined) {
    number = /^[0-9]+$/.test(explicit) ? Number(explicit) : undefined;
    if (number === undefined || !entry.versions.has(number)) {
      throw new RequestError(
        404,
        `unknown version ${JSON.stringify(explicit)} of ${JSON.stringify(model)}; served versions: ${[...entry.versions.keys()].join(", ")}`,
      );
    }
  } else {
    number = pickVersion(entry.split, key === undefined || key === "" ? Math.random() : routingPoint(key));
  }
  const loaded = number === undefined ? undefined : entry.versions.get(number);
  if (loaded === undefined) throw new RequestError(503, `${model} has no version with a positive weight`);
  return { entry, loaded };
}
