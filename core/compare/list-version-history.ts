/** A metric of every registered version of a model, oldest first: the report's history chart. */
import type { Project } from "../declarations/project.ts";
import type { HistoryPoint } from "./compare-model.ts";

export function listVersionHistory(
  project: Pick<Project, "versions">,
  model: string,
  metric: string,
): HistoryPoint[] {
  const versions = project.versions.get(model);
  if (versions === undefined) return [];
  return [...versions.entries()]
    .sort(([a], [b]) => a - b)
    .map(([number, version]) => ({ label: `v${number}`, value: version.value.metrics[metric] ?? null }));
}
