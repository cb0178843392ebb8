/**
 * The drift-check watchdog for one repository: reads the targets' `monitoring.schedule` and the
 * drift workflow's last completed run on the default branch, then opens or updates one issue per
 * target whose checks stopped, and closes it when they run again. Reads: one GraphQL query, the
 * workflow's runs, the open watchdog issues; writes only what changed.
 */
import { parse } from "yaml";
import {
  type CheckStatus,
  findStaleChecks,
  renderWatchdogIssue,
  type ScheduledTarget,
  WATCHDOG_LABEL,
  WATCHDOG_TITLE_PREFIX,
} from "../../core/retrain/find-stale-checks.ts";
import { configSchema } from "../../schemas/config.ts";
import { deploymentSchema } from "../../schemas/deployment.ts";
import { type GitHub, hasStatus, type Repo } from "../github/types.ts";

const QUERY = `query($owner: String!, $name: String!, $config: String!, $deployments: String!) {
  repository(owner: $owner, name: $name) {
    config: object(expression: $config) { ... on Blob { text } }
    deployments: object(expression: $deployments) {
      ... on Tree { entries { name object { ... on Blob { text } } } }
    }
  }
}`;

interface Answer {
  repository: {
    config: { text: string | null } | null;
    deployments: { entries?: { name: string; object: { text?: string | null } | null }[] } | null;
  } | null;
}

function safeYaml(text: string | null | undefined): unknown {
  try {
    return text ? parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function readSchedules(gh: GitHub, repo: Repo, branch: string) {
  const ask = (folder: string) =>
    gh.graphql<Answer>(QUERY, {
      owner: repo.owner,
      name: repo.repo,
      config: `${branch}:modelci.yaml`,
      deployments: `${branch}:${folder}`,
    });
  let answer = await ask("deployments");
  const config = configSchema.safeParse(safeYaml(answer.repository?.config?.text) ?? {});
  const settings = config.success ? config.data : configSchema.parse({});
  const root = settings.root.replace(/^\.\/?/, "").replace(/\/+$/, "");
  if (root !== "") answer = await ask(`${root}/deployments`);
  const targets: ScheduledTarget[] = [];
  for (const entry of answer.repository?.deployments?.entries ?? []) {
    const name = entry.name.replace(/\.ya?ml$/, "");
    if (name === entry.name) continue;
    const parsed = deploymentSchema.safeParse(safeYaml(entry.object?.text));
    const schedule = parsed.success ? parsed.data.monitoring?.schedule : undefined;
    if (schedule !== undefined) targets.push({ target: name, schedule });
  }
  return { targets, workflow: settings.drift.workflow };
}

async function lastCompleted(gh: GitHub, repo: Repo, workflow: string, branch: string) {
  try {
    const { data } = await gh.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: workflow.split("/").pop() ?? workflow,
      branch,
      status: "completed",
      per_page: 1,
    });
    const [run] = data.workflow_runs;
    return run === undefined ? undefined : new Date(run.updated_at);
  } catch (error) {
    if (hasStatus(error, 404)) return undefined;
    throw error;
  }
}

/** Opens, updates or closes the watchdog issues of `repo`; returns each target's status. */
export async function watchDriftChecks(
  gh: GitHub,
  repo: Repo,
  branch: string,
  now: Date,
): Promise<CheckStatus[]> {
  const { targets, workflow } = await readSchedules(gh, repo, branch);
  const { data: issues } = await gh.rest.issues.listForRepo({
    ...repo,
    labels: WATCHDOG_LABEL,
    state: "open",
    per_page: 100,
  });
  if (targets.length === 0 && issues.length === 0) return [];
  const statuses = findStaleChecks(targets, await lastCompleted(gh, repo, workflow, branch), now, workflow);
  const byTitle = new Map(issues.map((issue) => [issue.title, issue]));
  for (const status of statuses) {
    const title = `${WATCHDOG_TITLE_PREFIX}${status.target}`;
    const open = byTitle.get(title);
    byTitle.delete(title);
    if (status.stale) {
      const body = renderWatchdogIssue(status);
      if (open === undefined) await gh.rest.issues.create({ ...repo, title, body, labels: [WATCHDOG_LABEL] });
      else if (open.body !== body) await gh.rest.issues.update({ ...repo, issue_number: open.number, body });
    } else if (open !== undefined) {
      await gh.rest.issues.createComment({
        ...repo,
        issue_number: open.number,
        body: `The drift checks of ${status.target} run again: ${status.why}. Closing.`,
      });
      await gh.rest.issues.update({
        ...repo,
        issue_number: open.number,
        state: "closed",
        state_reason: "completed",
      });
    }
  }
  return statuses;
}
