import { MAX_VERSION, NAME_PATTERN, NAME_RULE, VERSION_DIGITS } from "../../schemas/common.ts";
import type { DeclarationKind } from "../../schemas/index.ts";

export type Classified =
  | { kind: Exclude<DeclarationKind, "config" | "version">; name: string }
  | { kind: "version"; name: string; model: string; version: number }
  | { kind: "unknown"; reason: string }
  | { kind: "ignored" };

const YAML = /\.ya?ml$/;
const VERSION_NUMBER = new RegExp(`^${VERSION_DIGITS}$`);

function badName(name: string): Classified {
  return {
    kind: "unknown",
    reason: `${JSON.stringify(name)} is not a valid name: ${NAME_RULE}`,
  };
}

/** Which declaration a path (relative to the modelci root) holds, from where it sits. */
export function classifyPath(relative: string): Classified {
  if (!YAML.test(relative)) return { kind: "ignored" };
  const parts = relative.replace(YAML, "").split("/");
  const [top, a, b, c] = parts;
  if (top === "experiments" && parts.length === 2 && a) {
    return NAME_PATTERN.test(a) ? { kind: "experiment", name: a } : badName(a);
  }
  if (top === "deployments" && parts.length === 2 && a) {
    return NAME_PATTERN.test(a) ? { kind: "deployment", name: a } : badName(a);
  }
  if (top === "models" && a) {
    if (!NAME_PATTERN.test(a)) return badName(a);
    if (parts.length === 3 && b === "model") return { kind: "model", name: a };
    if (parts.length === 4 && b === "versions" && c !== undefined) {
      if (!VERSION_NUMBER.test(c)) {
        return {
          kind: "unknown",
          reason: `version files are named by their number (1 to ${MAX_VERSION}), like 7.yaml; got ${JSON.stringify(c)}`,
        };
      }
      return { kind: "version", name: `${a}@${c}`, model: a, version: Number(c) };
    }
  }
  return {
    kind: "unknown",
    reason:
      "not a modelci declaration (expected experiments/<name>.yaml, models/<model>/model.yaml, models/<model>/versions/<n>.yaml or deployments/<target>.yaml); ignored",
  };
}
