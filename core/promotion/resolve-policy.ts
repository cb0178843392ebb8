import { type Model, modelSchema } from "../../schemas/model.ts";
import type { Project } from "../declarations/project.ts";

/** The policy that judges a change to one model. */
export interface Policy {
  model: string;
  owners: readonly string[];
  gates: Model["gates"];
  metrics: Model["metrics"];
  promotion: Model["promotion"];
  /** Where it comes from, for the check's details: `weather's policy in the base`. */
  source: string;
}

/** The promotion policy a model gets when its model.yaml says nothing. */
export const DEFAULT_PROMOTION: Model["promotion"] = modelSchema.shape.promotion.parse(undefined);

/**
 * The model's policy as it is in the base: a pull request never weakens the policy that judges
 * it. A model that is new in this change has no base policy: its owners and gates come from the
 * head, its promotion policy is the default one (one approval, staging before production).
 * Undefined when the model is not declared anywhere, or its base model.yaml does not parse.
 */
export function resolvePolicy(base: Project, head: Project, model: string): Policy | undefined {
  const declared = base.models.get(model);
  if (declared !== undefined) {
    const { owners, gates, metrics, promotion } = declared.value;
    return { model, owners, gates, metrics, promotion, source: `${model}'s policy in the base` };
  }
  if (base.present.models.has(model)) return undefined;
  const added = head.models.get(model);
  if (added === undefined) return undefined;
  const { owners, gates, metrics } = added.value;
  return {
    model,
    owners,
    gates,
    metrics,
    promotion: DEFAULT_PROMOTION,
    source: `${model} is new: the default policy with the owners in the head`,
  };
}
