import type { Config, Experiment } from "../../schemas/index.ts";

export const DEFAULT_RUNS_ON = ["ubuntu-latest"];
export const DEFAULT_TIMEOUT_MINUTES = 120;

/** The runner labels and timeout an experiment runs with, after modelci.yaml's defaults. */
export function resolveExperimentRunner(
  experiment: Experiment,
  config: Config,
): { runsOn: string[]; timeoutMinutes: number } {
  const labels = experiment["runs-on"] ?? config.defaults["runs-on"] ?? DEFAULT_RUNS_ON;
  return {
    runsOn: typeof labels === "string" ? [labels] : [...labels],
    timeoutMinutes:
      experiment["timeout-minutes"] ?? config.defaults["timeout-minutes"] ?? DEFAULT_TIMEOUT_MINUTES,
  };
}
