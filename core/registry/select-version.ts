/**
 * What `modelci show MODEL[@SELECTOR]` names: a version by number (`weather@3`, `weather@v3`), the
 * latest (`weather`, `weather@latest`), the champion (`weather@champion`), or what a deployment
 * target serves (`weather@production`).
 */

import type { Version } from "../../schemas/version.ts";
import { didYouMean } from "../declarations/did-you-mean.ts";
import type { Declared, Project } from "../declarations/project.ts";
import { UserError } from "../errors.ts";
import { type Champion, findChampion, type Serving, servedVersions } from "./find-champion.ts";

export type Selection =
  | { kind: "version"; model: string; version: Declared<Version> }
  | {
      kind: "target";
      model: string;
      target: string;
      serving: Array<Serving & { declared: Declared<Version> | undefined }>;
    };

/** The model's versions, highest number first. */
export function versionsOf(project: Pick<Project, "versions">, model: string): Declared<Version>[] {
  const versions = project.versions.get(model);
  return versions ? [...versions].sort(([a], [b]) => b - a).map(([, declared]) => declared) : [];
}

function noVersions(model: string): UserError {
  return new UserError(
    `${model} has no registered versions yet; register one with \`modelci register ${model} --run RUN\``,
  );
}

/** Resolves `MODEL[@SELECTOR]` against the declarations. */
export function selectVersion(project: Project, reference: string): Selection {
  const at = reference.indexOf("@");
  const model = at < 0 ? reference : reference.slice(0, at);
  const selector = at < 0 ? "latest" : reference.slice(at + 1);
  if (!project.models.has(model)) {
    const names = [...project.models.keys()];
    throw new UserError(
      `no model ${JSON.stringify(model)}${didYouMean(model, names)}; declared: ${names.join(", ") || "none"}`,
    );
  }
  const versions = project.versions.get(model) ?? new Map<number, Declared<Version>>();
  const number = /^v?([0-9]+)$/.exec(selector);
  if (number) {
    const declared = versions.get(Number(number[1]));
    if (declared === undefined) {
      const known = versionsOf(project, model).map((v) => v.value.version);
      throw new UserError(
        `${model} has no version ${number[1]}; registered: ${known.length > 0 ? known.reverse().join(", ") : "none"}`,
      );
    }
    return { kind: "version", model, version: declared };
  }
  if (selector === "latest") {
    const [latest] = versionsOf(project, model);
    if (latest === undefined) throw noVersions(model);
    return { kind: "version", model, version: latest };
  }
  const deployment = project.deployments.get(selector);
  if (deployment !== undefined) {
    const serving = servedVersions(deployment.value, model).map((s) => ({
      ...s,
      declared: versions.get(s.version),
    }));
    return { kind: "target", model, target: selector, serving };
  }
  if (selector === "champion") {
    const champion: Champion | undefined = findChampion(project, model);
    const declared = champion && versions.get(champion.version);
    if (champion === undefined || declared === undefined) {
      throw new UserError(`${model} has no champion: its baseline target serves no version of it yet`);
    }
    return { kind: "version", model, version: declared };
  }
  const targets = [...project.deployments.keys()];
  throw new UserError(
    `unknown ${JSON.stringify(selector)} in ${reference}: expected a version number, latest, champion or a deployment target${didYouMean(selector, [...targets, "latest", "champion"])}; targets: ${targets.join(", ") || "none"}`,
  );
}
