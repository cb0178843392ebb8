import type { EvaluationFailure } from "../../schemas/evaluation-failure.ts";
import type { EvaluationResult } from "../../schemas/evaluation-result.ts";
import type { RunManifest } from "../../schemas/run-manifest.ts";
import { didYouMean } from "../declarations/did-you-mean.ts";
import type { Project } from "../declarations/project.ts";
import { UserError } from "../errors.ts";
import { findChampion } from "../registry/find-champion.ts";
import { compareModel, type ModelComparison } from "./compare-model.ts";
import { decideHasChampion } from "./decide-has-champion.ts";
import { listVersionHistory } from "./list-version-history.ts";

/** A file's parsed content and where it came from, for messages. */
export interface Loaded<T> {
  file: string;
  value: T;
}

/** The folder of a file path (either separator). */
function folderOf(file: string): string {
  return file.replace(/[\\/][^\\/]*$/, "");
}

/**
 * A result that names no run (a plain `modelci evaluate --out RUN-DIR/evaluation.json`) belongs to
 * the run whose manifest.json sits in the same folder: it takes that run's identity.
 */
function withRunFromFolder(
  project: Project,
  { file, value }: Loaded<EvaluationResult>,
  runFolders: ReadonlyMap<string, RunManifest>,
): EvaluationResult {
  if (value.run !== undefined) return value;
  const manifest = runFolders.get(folderOf(file));
  const model = manifest && project.experiments.get(manifest.experiment)?.value.model;
  if (manifest === undefined || model === undefined) return value;
  return { ...value, run: { model, experiment: manifest.experiment, "run-id": manifest["run-id"] } };
}

/** Groups results by model and manifests by their experiment's model, and judges each model. */
export function compareRunOutputs(
  project: Project,
  results: readonly Loaded<EvaluationResult>[],
  manifests: readonly Loaded<RunManifest>[],
  fallbackModel: string | undefined,
  failures: readonly Loaded<EvaluationFailure>[] = [],
): ModelComparison[] {
  const groups = new Map<
    string,
    { results: EvaluationResult[]; manifests: RunManifest[]; failures: EvaluationFailure[] }
  >();
  const group = (model: string) => {
    const entry = groups.get(model) ?? { results: [], manifests: [], failures: [] };
    groups.set(model, entry);
    return entry;
  };
  const runFolders = new Map(manifests.map(({ file, value }) => [folderOf(file), value]));
  for (const loaded of results) {
    const { file } = loaded;
    const value = withRunFromFolder(project, loaded, runFolders);
    const model = value.run?.model ?? fallbackModel;
    if (model === undefined) {
      throw new UserError(`${file}: the result names no model (it has no \`run\`); pass --model NAME`);
    }
    group(model).results.push(value);
  }
  for (const { file, value } of manifests) {
    const experiment = project.experiments.get(value.experiment)?.value;
    if (experiment === undefined) {
      throw new UserError(
        `${file}: experiment ${JSON.stringify(value.experiment)} is not declared${didYouMean(value.experiment, [...project.experiments.keys()])}`,
      );
    }
    group(experiment.model).manifests.push(value);
  }
  for (const { value } of failures) groups.get(value.run.model)?.failures.push(value);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, runs]) => {
      const declared = project.models.get(name)?.value;
      if (declared === undefined) {
        const names = [...project.models.keys()];
        throw new UserError(
          `results for model ${JSON.stringify(name)}, which is not declared (no models/${name}/model.yaml)${didYouMean(name, names)}`,
        );
      }
      const history = listVersionHistory(project, name, declared["primary-metric"]);
      return compareModel({
        model: name,
        declaration: declared,
        results: runs.results,
        manifests: runs.manifests,
        failures: runs.failures,
        hasChampion: decideHasChampion(runs.results, findChampion(project, name) !== undefined),
        ...(history.length > 0 ? { history } : {}),
      });
    });
}
