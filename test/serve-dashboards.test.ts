/** The shipped Grafana dashboard and Prometheus alert rules parse and name only metrics the server exports. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createMetrics, METRIC_NAMES } from "../serve/metrics.ts";
import { REPO_ROOT } from "./helpers/temp-repo.ts";

/** Every series name the server's registry can expose (histograms as _bucket, _sum, _count). */
async function exportedNames(): Promise<Set<string>> {
  const metrics = await createMetrics().registry.getMetricsAsJSON();
  const names = new Set<string>();
  for (const metric of metrics) {
    names.add(metric.name);
    if (String(metric.type) === "histogram")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(metric.name + suffix);
  }
  return names;
}

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset"]);

/** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or strings. */
function metricNames(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\[[^\]]*\]/g, "[]");
  const withoutGrouping = withoutStrings.replace(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g,
    "",
  );
  const names: string[] = [];
  for (const match of withoutGrouping.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = withoutGrouping.slice((match.index ?? 0) + match[0].length).trimStart();
    if (after.startsWith("(") || KEYWORDS.has(match[0])) continue;
    names.push(match[0]);
  }
  return names;
}

describe("docs/serve", () => {
  it("the Grafana dashboard parses and queries only exported metrics", async () => {
    const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, "docs/serve/grafana-dashboard.json"), "utf8"));
    const exprs: string[] = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
      panel.targets.map((t) => t.expr),
    );
    expect(exprs.length).toBeGreaterThan(5);
    const exported = await exportedNames();
    const used = new Set(exprs.flatMap(metricNames));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    for (const name of [
      "modelci_inference_requests_total",
      "modelci_traffic_weight",
      "modelci_model_ready",
    ]) {
      expect(used).toContain(name);
    }
    expect(used).toContain("modelci_inference_request_duration_seconds_bucket");
  });

  it("the alert rules parse and query only exported metrics", async () => {
    const rules = parse(readFileSync(join(REPO_ROOT, "docs/serve/alerts.yaml"), "utf8"));
    const list: { alert: string; expr: string }[] = rules.groups.flatMap(
      (group: { rules: unknown[] }) => group.rules,
    );
    expect(list.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        "ModelciServeHighErrorRate",
        "ModelciServeHighLatencyP99",
        "ModelciServeModelNotReady",
        "ModelciServeLoadFailures",
      ]),
    );
    const exported = await exportedNames();
    const used = new Set(list.flatMap((rule) => metricNames(rule.expr)));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect(used).toContain("modelci_model_load_failures_total");
  });

  it("METRIC_NAMES lists what the registry exports", async () => {
    const exported = await exportedNames();
    for (const name of METRIC_NAMES) expect(exported).toContain(name);
  });
});
