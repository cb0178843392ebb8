import type { Project } from "../declarations/project.ts";
import { findChampion } from "../registry/find-champion.ts";
import { checkArtifactIntegrity, type StoredArtifactCheck } from "./check-artifact-integrity.ts";
import { type Champion, checkMetricGates } from "./check-metric-gates.ts";
import { checkOwnersApproval, type ReviewInputs } from "./check-owners-approval.ts";
import { checkSignature, compareSignatures, type Signature, type SignatureDiff } from "./check-signature.ts";
import { checkSoakTime, checkStageOrder } from "./check-stages.ts";
import { mainVersion } from "./describe-served.ts";
import type { FileDigests, PromotionChange } from "./find-promotions.ts";
import type { PromotionRule } from "./promotion-rule.ts";
import type { Policy } from "./resolve-policy.ts";

/** What judging a deploy needs besides the change itself. */
export interface DeployContext {
  base: Project;
  head: Project;
  digests: FileDigests;
  /** The stored artifacts' digests the caller could read, by `model@version`; see PromotionInputs. */
  stored?: ReadonlyMap<string, StoredArtifactCheck>;
  servedSince: ReadonlyMap<string, Date>;
  now: Date;
  reviews: ReviewInputs;
}

export interface JudgedChange {
  rules: PromotionRule[];
  /** When a soak rule still waiting for time will be met. */
  recheckAt?: Date;
}

/** A registered version as the base has it, else as the head has it (registered in this change). */
function findVersion(ctx: DeployContext, model: string, version: number) {
  return (ctx.base.versions.get(model)?.get(version) ?? ctx.head.versions.get(model)?.get(version))?.value;
}

/** The champion (core/registry): what the model's baseline target serves in the base, with its metrics. */
function champion(ctx: DeployContext, model: string): Champion | undefined {
  const found = findChampion(ctx.base, model);
  if (found === undefined) return undefined;
  const { target, version } = found;
  return { target, version, metrics: findVersion(ctx, model, version)?.metrics ?? {} };
}

/** Suffix for rule titles when a change brings in more than one version. */
function titled(rule: PromotionRule, version: number, many: boolean): PromotionRule {
  return many ? { ...rule, title: `${rule.title} (version ${version})` } : rule;
}

/** The rules for a target that starts serving other versions of a model. */
export function evaluateDeploy(
  change: Extract<PromotionChange, { kind: "deploy" }>,
  policy: Policy,
  ctx: DeployContext,
): JudgedChange {
  const { model, target, incoming } = change;
  const many = incoming.length > 1;
  const against = champion(ctx, model);
  const servedVersion = mainVersion(change.from);
  const servedSignature =
    servedVersion === undefined ? undefined : findVersion(ctx, model, servedVersion)?.signature;
  const stage = {
    base: ctx.base,
    model,
    target,
    stages: policy.promotion.stages,
    soakHours: policy.promotion["soak-hours"],
    servedSince: ctx.servedSince,
    now: ctx.now,
  };

  const perVersion: PromotionRule[] = [];
  const signatures: { version: number; signature: Signature | undefined; diff: SignatureDiff | undefined }[] =
    [];
  let recheckAt: Date | undefined;
  for (const version of incoming) {
    const found = findVersion(ctx, model, version);
    const soak = checkSoakTime({ ...stage, version });
    if (soak.metAt !== undefined && (recheckAt === undefined || soak.metAt < recheckAt))
      recheckAt = soak.metAt;
    const gates = found
      ? checkMetricGates(
          policy,
          model,
          { version, metrics: found.metrics, selfReported: found["self-reported"] },
          against,
        )
      : undefined;
    perVersion.push(
      ...[
        checkStageOrder({ ...stage, version }),
        soak.rule,
        ...(gates ? [gates] : []),
        checkArtifactIntegrity(
          ctx.base,
          ctx.head,
          model,
          version,
          ctx.digests,
          ctx.stored?.get(`${model}@${version}`),
        ),
      ].map((rule) => titled(rule, version, many)),
    );
    const diff =
      found?.signature && servedSignature ? compareSignatures(servedSignature, found.signature) : undefined;
    signatures.push({ version, signature: found?.signature, diff });
  }

  const breaking = signatures.some((s) => (s.diff?.breaking.length ?? 0) > 0);
  const extra = breaking ? policy.promotion["breaking-signature-approvals"] : 0;
  const approvals = checkOwnersApproval(
    {
      owners: policy.owners,
      required: policy.promotion.approvals + extra,
      reason: breaking ? `${policy.source}, +${extra} for a breaking signature` : policy.source,
    },
    ctx.reviews,
  );
  for (const { version, signature, diff } of signatures) {
    const rule = checkSignature({
      version,
      target,
      ...(servedVersion === undefined
        ? {}
        : { served: { version: servedVersion, signature: servedSignature } }),
      signature,
      diff,
      extraApprovals: policy.promotion["breaking-signature-approvals"],
      approvalsStatus: approvals.status,
    });
    perVersion.push(titled(rule, version, many));
  }
  const rules = [approvals, ...perVersion];
  return recheckAt === undefined ? { rules } : { rules, recheckAt };
}
