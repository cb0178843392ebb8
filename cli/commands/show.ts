import { resolve } from "node:path";
import { loadValidProject } from "../../adapters/pipeline/load-valid-project.ts";
import { UsageError } from "../../core/errors.ts";
import { findChampion, servingTargets } from "../../core/registry/find-champion.ts";
import { renderTarget, renderVersion, type ShowContext } from "../../core/registry/render-version.ts";
import { selectVersion, versionsOf } from "../../core/registry/select-version.ts";
import type { Command } from "../command.ts";
import { plural } from "../format-diagnostics.ts";
import { stringOption } from "../parse-command-line.ts";

export const showCommand: Command = {
  name: "show",
  help: `Usage: modelci show MODEL[@VERSION|@TARGET|@latest|@champion] [--root DIR] [--json]

Prints a registered version: provenance (commit, experiment, run, params, data digests), the
artifact's URI and sha256, metrics, signature, the training-data profile, and which targets serve
it. MODEL alone shows the latest version; MODEL@TARGET shows what a deployment target serves now
(every version of a canary, largest weight first); MODEL@champion shows the version the model's
baseline target serves (promotion.baseline, else the last promotion stage).

Options:
  --root DIR   repository folder (default: .)
  --json       print JSON: the version file's fields, or the target's versions and their fields

Exit status: 0 shown, 1 unknown model, version or target, 2 usage error.

Examples:
  modelci show weather
  modelci show weather@3
  modelci show weather@production --json`,
  options: {
    root: { type: "string", default: "." },
    json: { type: "boolean", default: false },
  },
  maxPositionals: 1,
  async run(args, output) {
    const [reference] = args.positionals;
    if (reference === undefined) throw new UsageError("name a model: modelci show MODEL[@VERSION|@TARGET]");
    const project = await loadValidProject(resolve(stringOption(args, "root") ?? "."));
    const selection = selectVersion(project, reference);
    const { model } = selection;
    const champion = findChampion(project, model);
    const serving = servingTargets(project, model);
    const context: ShowContext = {
      primaryMetric: project.models.get(model)?.value["primary-metric"] ?? "",
      champion,
      serving,
    };
    const isChampion = (version: number) => champion?.version === version;
    if (args.values.json === true) {
      const championJson = champion
        ? { target: champion.target, version: champion.version, weight: champion.weight }
        : null;
      if (selection.kind === "target") {
        const serves = selection.serving.map((s) => ({
          version: s.version,
          weight: s.weight,
          champion: isChampion(s.version) && champion?.target === selection.target,
          file: s.declared?.file ?? null,
          manifest: s.declared?.value ?? null,
        }));
        output.out(
          `${JSON.stringify({ model, target: selection.target, champion: championJson, serves }, null, 2)}\n`,
        );
        return 0;
      }
      const { version } = selection;
      const servedBy = [...serving].flatMap(([target, list]) =>
        list.filter((s) => s.version === version.value.version).map((s) => ({ target, weight: s.weight })),
      );
      output.out(
        `${JSON.stringify(
          {
            model,
            version: version.value.version,
            file: version.file,
            latest: versionsOf(project, model)[0]?.value.version === version.value.version,
            champion: championJson,
            serving: servedBy,
            manifest: version.value,
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    if (selection.kind === "target") {
      output.out(`${renderTarget(model, selection.target, selection.serving, context)}\n`);
      return 0;
    }
    if (!reference.includes("@")) {
      const count = versionsOf(project, model).length;
      const championText = champion
        ? `champion v${champion.version} (${champion.target})`
        : "no champion yet (its baseline target serves no version)";
      output.out(
        `${model}: ${plural(count, "registered version")}, latest v${selection.version.value.version}; ${championText}\n\n`,
      );
    }
    output.out(`${renderVersion(model, selection.version, context)}\n`);
    return 0;
  },
};
