/** Text for `modelci history`: serving changes per target, then the registered versions. */
import type { Champion } from "./find-champion.ts";
import { type CommitInfo, describeServing, type ServingHistory } from "./serving-history.ts";

export interface VersionEntry {
  version: number;
  created: string;
  experiment: string;
  runId: string | undefined;
  commit: string;
  /** The commit that added the version file, when it is committed. */
  registered: CommitInfo | undefined;
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

function when(date: string): string {
  return date.replace("T", " ").replace(/(:\d\d)([+-]\d\d:\d\d|Z)$/, "$1 $2");
}

export function renderHistory(
  model: string,
  history: ServingHistory,
  champion: Champion | undefined,
  versions: readonly VersionEntry[],
): string {
  const lines: string[] = [`${model}: what each target served (git history, oldest first)`];
  if (history.changes.length === 0) {
    lines.push("  no committed deployment file has served it yet");
  } else {
    const rows = history.changes.map((c) => [
      when(c.date),
      c.target,
      `${describeServing(c.from)} → ${describeServing(c.to)}`,
      c.commit.slice(0, 12),
      c.author,
      c.subject,
    ]);
    lines.push(...table(rows).map((line) => `  ${line}`));
  }
  for (const s of history.skipped) {
    lines.push(`  (${s.commit.slice(0, 12)} left ${s.target} invalid; its change is not shown)`);
  }
  const now = [...history.serving].map(([target, serving]) => {
    const isChampion = champion?.target === target ? " (champion)" : "";
    return `${target} ${describeServing(serving)}${isChampion}`;
  });
  lines.push("", `now (last commit): ${now.length > 0 ? now.join(", ") : "no target serves it"}`, "");
  lines.push(
    versions.length === 0 ? "registered versions: none" : `registered versions (${versions.length}):`,
  );
  const rows = versions.map((v) => [
    `v${v.version}`,
    `created ${v.created}`,
    `${v.experiment}${v.runId ? `/${v.runId}` : ""}`,
    `trained at ${v.commit.slice(0, 12)}`,
    v.registered
      ? `committed ${v.registered.commit.slice(0, 12)} by ${v.registered.author}, ${when(v.registered.date)}`
      : "not committed",
  ]);
  lines.push(...table(rows).map((line) => `  ${line}`));
  return lines.join("\n");
}
