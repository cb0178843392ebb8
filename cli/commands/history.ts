import { resolve } from "node:path";
import { readDeploymentHistory, readVersionAdditions } from "../../adapters/git/read-deployment-history.ts";
import { loadValidProject } from "../../adapters/pipeline/load-valid-project.ts";
import { didYouMean } from "../../core/declarations/did-you-mean.ts";
import { UsageError, UserError } from "../../core/errors.ts";
import { findChampion } from "../../core/registry/find-champion.ts";
import { renderHistory, type VersionEntry } from "../../core/registry/render-history.ts";
import { versionsOf } from "../../core/registry/select-version.ts";
import { servingHistory } from "../../core/registry/serving-history.ts";
import type { Command } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

export const historyCommand: Command = {
  name: "history",
  help: `Usage: modelci history MODEL [--root DIR] [--json]

Reads git history to tell which version of MODEL each deployment target served and when: every
commit on the first-parent line (merges count when they were merged) that changed what a
deployments/*.yaml serves, with its author and date, oldest first. Then the registered versions,
with their created dates and the commit that added each version file. Needs the full history
(in GitHub Actions: \`fetch-depth: 0\`).

Options:
  --root DIR   repository folder (default: .)
  --json       print JSON: changes, what each target serves now, the champion and the versions

Exit status: 0 shown, 1 unknown model or not a git repository, 2 usage error.

Example:
  modelci history weather`,
  options: {
    root: { type: "string", default: "." },
    json: { type: "boolean", default: false },
  },
  maxPositionals: 1,
  async run(args, output) {
    const [model] = args.positionals;
    if (model === undefined) throw new UsageError("name a model: modelci history MODEL");
    const dir = resolve(stringOption(args, "root") ?? ".");
    const project = await loadValidProject(dir);
    if (!project.models.has(model)) {
      const names = [...project.models.keys()];
      throw new UserError(
        `no model ${JSON.stringify(model)}${didYouMean(model, names)}; declared: ${names.join(", ") || "none"}`,
      );
    }
    const history = servingHistory(await readDeploymentHistory(dir, project.root), model);
    const added = await readVersionAdditions(dir, project.root, model);
    const versions: VersionEntry[] = versionsOf(project, model)
      .reverse()
      .map(({ value }) => ({
        version: value.version,
        created: value.created,
        experiment: value.experiment,
        runId: value["run-id"],
        commit: value.commit,
        registered: added.get(value.version),
      }));
    const champion = findChampion(project, model);
    if (args.values.json === true) {
      const json = {
        model,
        changes: history.changes,
        serving: Object.fromEntries(history.serving),
        champion: champion ?? null,
        skipped: history.skipped,
        versions: versions.map((v) => ({
          version: v.version,
          created: v.created,
          experiment: v.experiment,
          "run-id": v.runId ?? null,
          commit: v.commit,
          registered: v.registered ?? null,
        })),
      };
      output.out(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    output.out(`${renderHistory(model, history, champion, versions)}\n`);
    return 0;
  },
};
