/** Text for `modelci show`: one version's record, or what a target serves. */

import type { Version } from "../../schemas/version.ts";
import type { Declared } from "../declarations/project.ts";
import type { Champion, Serving } from "./find-champion.ts";

export interface ShowContext {
  primaryMetric: string;
  champion: Champion | undefined;
  /** Every target serving some version of the model. */
  serving: Map<string, Serving[]>;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(", ")}]`;
}

/** Where a version serves now: `staging (100%), production (90%, champion)`. */
function servingLine(version: number, context: ShowContext): string {
  const parts: string[] = [];
  for (const [target, list] of context.serving) {
    const entry = list.find((s) => s.version === version);
    if (entry === undefined) continue;
    const champion = context.champion?.target === target && context.champion.version === version;
    parts.push(`${target} (${entry.weight}%${champion ? ", champion" : ""})`);
  }
  return parts.length > 0 ? parts.join(", ") : "not served by any target";
}

/** Several lines describing one version. */
export function renderVersion(model: string, declared: Declared<Version>, context: ShowContext): string {
  const v = declared.value;
  const rows: Array<[string, string]> = [
    ["created", v.created],
    ["trained", `${v.experiment}${v["run-id"] ? `/${v["run-id"]}` : ""} at commit ${v.commit.slice(0, 12)}`],
  ];
  const params = Object.entries(v.params).map(([k, value]) => `${k}=${value}`);
  if (params.length > 0) rows.push(["params", params.join(" ")]);
  for (const [name, digest] of Object.entries(v.data)) {
    const size = digest.size === undefined ? "" : `, ${formatBytes(digest.size)}`;
    rows.push([`data.${name}`, `${digest.path} (sha256 ${digest.sha256.slice(0, 12)}${size})`]);
  }
  rows.push([
    "artifact",
    `${v.artifact.uri} (${v.artifact.format}, ${formatBytes(v.artifact.size)}, sha256 ${v.artifact.sha256.slice(0, 12)})`,
  ]);
  const metrics = Object.entries(v.metrics).sort(([a], [b]) =>
    a === context.primaryMetric ? -1 : b === context.primaryMetric ? 1 : a < b ? -1 : 1,
  );
  if (metrics.length > 0) {
    const text = metrics.map(([name, value]) => `${name} ${formatNumber(value)}`).join(", ");
    rows.push(["metrics", `${text}${v["self-reported"] ? " (self-reported)" : ""}`]);
  }
  if (v.signature) {
    const tensors = (list: NonNullable<Version["signature"]>["inputs"]) =>
      list.map((t) => `${t.name} ${t.type} ${formatShape(t.shape)}`).join(", ") || "none";
    rows.push(["inputs", tensors(v.signature.inputs)], ["outputs", tensors(v.signature.outputs)]);
  }
  if (v.profile) {
    const features = Object.values(v.profile.features);
    const numeric = features.filter((f) => f.kind === "numeric").length;
    rows.push([
      "profile",
      `${v.profile.rows} rows, ${features.length} features (${numeric} numeric, ${features.length - numeric} categorical)`,
    ]);
  } else {
    rows.push(["profile", "none (drift checks cannot use this version)"]);
  }
  rows.push(["serving", servingLine(v.version, context)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `${model} v${v.version}  (${declared.file})`,
    ...rows.map(([l, text]) => `  ${l.padEnd(width)}  ${text}`),
  ].join("\n");
}

/** What a target serves, followed by each served version. */
export function renderTarget(
  model: string,
  target: string,
  serving: Array<Serving & { declared: Declared<Version> | undefined }>,
  context: ShowContext,
): string {
  if (serving.length === 0) return `${target} serves no version of ${model}`;
  const split = serving.map((s) => `v${s.version} (${s.weight}%)`).join(", ");
  const baseline =
    context.champion?.target === target ? " — the baseline target: its top version is the champion" : "";
  const parts = [`${target} serves ${model} ${split}${baseline}`];
  for (const s of serving) {
    parts.push(
      s.declared
        ? renderVersion(model, s.declared, context)
        : `${model} v${s.version}: not registered (no models/${model}/versions/${s.version}.yaml)`,
    );
  }
  return parts.join("\n\n");
}
