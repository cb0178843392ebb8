/**
 * The weather example's declarations, written out here so the App's tests do not move when the
 * example does, in a git repository with registered versions and promotions (the same history as
 * promotion-repo.ts): 7 serves everywhere (2025-03-01), 8 is registered (03-02) and staged (03-03);
 * the pull request promotes 8 to production (03-03T01:00).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { commitPromotionHistory, type PromotionRepo, type RepoOptions } from "./promotion-repo.ts";
import { tempDir } from "./temp-repo.ts";

const FILES: Record<string, string> = {
  "modelci.yaml":
    "# Optional repository configuration.\nroot: .\nartifacts: { store: local, path: .modelci/artifacts }\n",
  "models/weather/model.yaml": [
    "# Tomorrow's weather class (drizzle, fog, rain, snow, sun) from today's measurements.",
    "description: Daily weather class for Seattle.",
    "task: classification",
    'owners: ["@acme/forecasting", alice]',
    "primary-metric: f1_macro",
    "gates:",
    "  - { metric: accuracy, min: 0.6 }",
    "  - { metric: f1_macro, max-regression: 0.02 }",
    '  - { metric: log_loss, max-regression: "5%" }',
    "  - { metric: latency_p99_ms, max: 15 }",
    "promotion:",
    "  approvals: 1",
    "  stages: [staging, production]",
    "  soak-hours: { production: 24 }",
    "",
  ].join("\n"),
  "deployments/staging.yaml": [
    "# Staging: the built-in ONNX server on this machine.",
    "environment: staging",
    "models: {}",
    "driver: { kind: serve, port: 8081 }",
    "",
  ].join("\n"),
  "deployments/production.yaml": [
    "# Production: deployed by a script; drift is checked every morning.",
    "environment: production",
    "models: {}",
    "driver: { kind: command, run: ./deploy.sh production }",
    "monitoring:",
    '  schedule: "0 6 * * *"',
    "  current: { path: data/live.jsonl }",
    "  drift: { method: psi, threshold: 0.2, share: 0.5 }",
    "",
  ].join("\n"),
  "train.js": "// trains the model\n",
};

export function appRepo(options: RepoOptions = {}): PromotionRepo {
  const dir = tempDir();
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return commitPromotionHistory(dir, options);
}
