/**
 * What the App reads of a drift check: the `modelci drift --target T --json` result (from the
 * `modelci/drift` check run, or a `repository_dispatch` of type `modelci-drift`). Lenient about
 * fields it does not use, strict about the ones it does, so a malformed result is refused with the
 * field it lacks and never half-used. Pure.
 */
import { z } from "zod";
import { NAME_PATTERN } from "../../schemas/common.ts";

const featureSchema = z.looseObject({
  method: z.string().optional(),
  drifted: z.boolean(),
});

const modelResultSchema = z.looseObject({
  version: z.number().int().positive(),
  dataset: z.looseObject({
    verdict: z.enum(["drift", "no drift", "not enough data"]),
    drifted: z.number().int().min(0).optional(),
    share: z.number().min(0).max(1).optional(),
  }),
  features: z.record(z.string(), featureSchema).default({}),
  prediction: z.looseObject({ drifted: z.boolean().optional() }).optional(),
});

const targetResultSchema = z.looseObject({
  target: z.string().regex(NAME_PATTERN),
  models: z.record(z.string().regex(NAME_PATTERN), modelResultSchema),
  run_url: z.url().optional(),
});

export type ModelDrift = z.output<typeof modelResultSchema>;
export type FeatureDrift = z.output<typeof featureSchema>;

/** One drifted model of one target: what a retraining pull request is about. */
export interface DriftEvidence {
  target: string;
  model: string;
  version: number;
  result: ModelDrift;
  /** Where the check ran (the workflow run), when known. */
  runUrl?: string;
}

export type ReadDrift =
  | { ok: true; drifted: DriftEvidence[]; checked: number }
  | { ok: false; error: string };

/** The models whose dataset verdict is `drift`, or what is wrong with the result. */
export function readDriftResult(value: unknown, runUrl?: string): ReadDrift {
  const parsed = targetResultSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const where = issue?.path.length ? issue.path.join(".") : "the result";
    return { ok: false, error: `${where}: ${issue?.message ?? "not a drift result"}` };
  }
  const { target, models } = parsed.data;
  const url = runUrl ?? parsed.data.run_url;
  const drifted = Object.entries(models)
    .filter(([, result]) => result.dataset.verdict === "drift")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, result]) => ({
      target,
      model,
      version: result.version,
      result,
      ...(url === undefined ? {} : { runUrl: url }),
    }));
  return { ok: true, drifted, checked: Object.keys(models).length };
}

/** The numeric statistics of a feature, by name (`ks_p_value`, `psi`…), in name order. */
export function featureStatistics(feature: FeatureDrift): [string, number][] {
  return Object.entries(feature)
    .filter((entry): entry is [string, number] => typeof entry[1] === "number" && Number.isFinite(entry[1]))
    .sort(([a], [b]) => a.localeCompare(b));
}
