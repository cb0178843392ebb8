import type { Project } from "../declarations/project.ts";
import { serves } from "./describe-served.ts";
import { formatHours, formatTime, makeRule, type PromotionRule } from "./promotion-rule.ts";

/** The key of `servedSince`: `staging@weather@8`. */
export function servedKey(target: string, model: string, version: number): string {
  return `${target}@${model}@${version}`;
}

/** One version going into one target, with what stage order and soak time depend on. */
export interface StageContext {
  /** The base: what serves where before this change. */
  base: Project;
  model: string;
  version: number;
  target: string;
  stages: readonly string[];
  soakHours: Readonly<Record<string, number>>;
  /** When each version started serving in each target, in its stint that lasts to the base. */
  servedSince: ReadonlyMap<string, Date>;
  now: Date;
}

/** The stage before `target`; `null` for the first stage; undefined when the target is not a stage. */
function previousStage(stages: readonly string[], target: string): string | null | undefined {
  const at = stages.indexOf(target);
  if (at < 0) return undefined;
  return at === 0 ? null : (stages[at - 1] ?? null);
}

/** The version must serve (in the base) in the stage before the target. */
export function checkStageOrder(ctx: StageContext): PromotionRule {
  const { model, version, target, stages } = ctx;
  const previous = previousStage(stages, target);
  if (previous === undefined) {
    return makeRule(
      "stage-order",
      "met",
      `${target} is not one of ${model}'s stages (${stages.join(" → ")}); no order applies`,
    );
  }
  if (previous === null) return makeRule("stage-order", "met", `${target} is the first stage`);
  if (serves(ctx.base, previous, model, version)) {
    return makeRule(
      "stage-order",
      "met",
      `version ${version} serves in ${previous}, the stage before ${target}`,
    );
  }
  return makeRule(
    "stage-order",
    "failed",
    `version ${version} has not served in ${previous}; ${model} is promoted ${stages.join(" → ")}`,
    `promote ${model} ${version} to ${previous} first, in its own pull request`,
  );
}

/** The soak rule, and when a rule still waiting for time will be met. */
export interface SoakResult {
  rule: PromotionRule;
  metAt?: Date;
}

/** The version must have served in the previous stage for `soak-hours[target]`, from git history. */
export function checkSoakTime(ctx: StageContext): SoakResult {
  const { model, version, target } = ctx;
  const hours = ctx.soakHours[target] ?? 0;
  const previous = previousStage(ctx.stages, target);
  if (previous === undefined || previous === null) {
    const why = previous === null ? `${target} is the first stage` : `${target} is not a stage`;
    return { rule: makeRule("soak-time", "met", `${why}; nothing to soak in`) };
  }
  if (hours === 0) return { rule: makeRule("soak-time", "met", `${target} needs no soak time`) };
  if (!serves(ctx.base, previous, model, version)) {
    return {
      rule: makeRule(
        "soak-time",
        "missing",
        `version ${version} has not served in ${previous} yet; ${target} needs ${formatHours(hours)} there`,
        `promote ${version} to ${previous}, then wait ${formatHours(hours)}`,
      ),
    };
  }
  const since = ctx.servedSince.get(servedKey(previous, model, version));
  if (since === undefined) {
    return {
      rule: makeRule(
        "soak-time",
        "missing",
        `no git history shows when version ${version} started serving in ${previous}`,
        "run the check with the full git history (in GitHub Actions, `fetch-depth: 0`)",
      ),
    };
  }
  const served = (ctx.now.getTime() - since.getTime()) / 3_600_000;
  const metAt = new Date(since.getTime() + hours * 3_600_000);
  const base = `version ${version} has served in ${previous} for ${formatHours(Math.max(0, served))} (since ${formatTime(since)}); ${target} needs ${formatHours(hours)}`;
  if (served >= hours) return { rule: makeRule("soak-time", "met", base) };
  return {
    rule: makeRule(
      "soak-time",
      "missing",
      `${base}, ${formatHours(hours - served)} to go`,
      `wait until ${formatTime(metAt)}, then run the check again`,
    ),
    metAt,
  };
}
