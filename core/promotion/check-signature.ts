import type { SignatureTensor, Version } from "../../schemas/index.ts";
import { countOf, makeRule, type PromotionRule, type RuleStatus } from "./promotion-rule.ts";

export type Signature = NonNullable<Version["signature"]>;

/** How a candidate's signature differs from the served version's. */
export interface SignatureDiff {
  /** Differences that break callers of the served version. */
  breaking: string[];
  /** Differences callers can ignore (a new output). */
  compatible: string[];
}

const shapeText = (shape: SignatureTensor["shape"]) => `[${shape.join(", ")}]`;

/** Same rank, same fixed sizes; two symbolic dimensions match whatever their names. */
function sameShape(a: SignatureTensor["shape"], b: SignatureTensor["shape"]): boolean {
  if (a.length !== b.length) return false;
  return a.every((dim, i) => {
    const other = b[i];
    return typeof dim === "string" ? typeof other === "string" : dim === other;
  });
}

function compareTensors(
  kind: "input" | "output",
  served: readonly SignatureTensor[],
  candidate: readonly SignatureTensor[],
  diff: SignatureDiff,
): void {
  const byName = new Map(candidate.map((t) => [t.name, t]));
  for (const tensor of served) {
    const next = byName.get(tensor.name);
    if (next === undefined) {
      diff.breaking.push(`${kind} \`${tensor.name}\` removed`);
      continue;
    }
    if (next.type !== tensor.type)
      diff.breaking.push(`${kind} \`${tensor.name}\` type ${tensor.type} → ${next.type}`);
    if (!sameShape(tensor.shape, next.shape)) {
      diff.breaking.push(
        `${kind} \`${tensor.name}\` shape ${shapeText(tensor.shape)} → ${shapeText(next.shape)}`,
      );
    }
  }
  const servedNames = new Set(served.map((t) => t.name));
  for (const tensor of candidate) {
    if (servedNames.has(tensor.name)) continue;
    // Callers do not send a new input, so it breaks them; they can ignore a new output.
    (kind === "input" ? diff.breaking : diff.compatible).push(
      `new ${kind} \`${tensor.name}\` ${tensor.type} ${shapeText(tensor.shape)}`,
    );
  }
}

/** Compares inputs and outputs by name: types and shapes must match. */
export function compareSignatures(served: Signature, candidate: Signature): SignatureDiff {
  const diff: SignatureDiff = { breaking: [], compatible: [] };
  compareTensors("input", served.inputs, candidate.inputs, diff);
  compareTensors("output", served.outputs, candidate.outputs, diff);
  return diff;
}

/** What the signature rule needs to know. */
export interface SignatureCheck {
  version: number;
  target: string;
  /** The version the target serves now (the one with the most traffic), with its signature. */
  served?: { version: number; signature: Signature | undefined };
  signature: Signature | undefined;
  diff: SignatureDiff | undefined;
  /** Extra approvals a breaking change needs, and whether the approvals rule is met with them. */
  extraApprovals: number;
  approvalsStatus: RuleStatus;
}

/** The signature rule: compatible, not comparable, or breaking (needs the extra approvals). */
export function checkSignature(check: SignatureCheck): PromotionRule {
  const { version, target, served, diff } = check;
  if (served === undefined) {
    return makeRule("signature", "met", `${target} serves no version yet; nothing to be compatible with`);
  }
  if (served.version === version)
    return makeRule("signature", "met", `${target} already serves version ${version}`);
  if (diff === undefined) {
    const missing = check.signature === undefined ? version : served.version;
    return makeRule(
      "signature",
      "met",
      `version ${missing} has no recorded signature; compatibility with ${served.version} was not checked`,
    );
  }
  const extras = diff.compatible.length > 0 ? ` (compatible: ${diff.compatible.join("; ")})` : "";
  if (diff.breaking.length === 0) {
    return makeRule("signature", "met", `inputs and outputs match version ${served.version}${extras}`);
  }
  const detail = `breaking change from version ${served.version} (served in ${target}): ${diff.breaking.join("; ")}${extras}; needs ${countOf(check.extraApprovals, "extra owner approval")}`;
  // The extra approvals are counted by the owners' approval rule; this row follows it.
  const status: RuleStatus = check.approvalsStatus === "met" ? "met" : "missing";
  return makeRule(
    "signature",
    status,
    detail,
    `callers of ${target} must be ready for the new signature; owners approve that with ${countOf(check.extraApprovals, "extra approval")}`,
  );
}
