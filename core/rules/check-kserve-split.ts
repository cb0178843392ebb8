/**
 * What the kubernetes driver (a KServe InferenceService) can serve of one model: one version, or a
 * two-version canary. `canaryTrafficPercent` (a whole percent) splits traffic between the latest
 * ready revision and the one before it, so a third version, a fractional share or a shadow copy
 * cannot be expressed (KServe docs, rollout strategies: canary).
 */
import type { Declared } from "../declarations/project.ts";
import type { Findings } from "./rule-context.ts";

interface Served {
  version?: number | undefined;
  canary?: { version: number; weight: number }[] | undefined;
  shadow?: number | undefined;
}

const KSERVE = "the kubernetes driver (KServe)";

/** Reports, at the field, a model's split that KServe cannot serve. */
export function checkKserveSplit(
  declared: Pick<Declared<unknown>, "file" | "source">,
  model: string,
  served: Served,
  findings: Findings,
): void {
  const path = ["models", model];
  if (served.shadow !== undefined) {
    findings.error(
      declared,
      [...path, "shadow"],
      `${KSERVE} cannot copy traffic to a shadow version; shadow needs the serve driver`,
    );
  }
  const canary = served.canary;
  if (canary === undefined) return;
  const live = canary.map((c, i) => ({ ...c, i })).filter((c) => c.weight > 0);
  if (live.length > 2) {
    findings.error(
      declared,
      [...path, "canary"],
      `${KSERVE} serves at most two versions of a model, the latest and the previous one split by canaryTrafficPercent; this split gives traffic to ${live.length} (${live.map((c) => c.version).join(", ")})`,
    );
    return;
  }
  const fraction = live.find((c) => !Number.isInteger(c.weight));
  if (live.length === 2 && fraction !== undefined) {
    findings.error(
      declared,
      [...path, "canary", fraction.i, "weight"],
      `${KSERVE} splits by a whole percent (canaryTrafficPercent is an integer); ${fraction.weight} is not`,
    );
  }
}
