/**
 * `npm run bench`: prints figures and ratios against baselines measured in the same run. Nothing here
 * asserts on time; tests never do. Pass names to run a subset: `npm run bench -- evaluate metrics`.
 */
import { benchApp } from "./app-bench.ts";
import { benchDeploy } from "./deploy-bench.ts";
import { benchDrift } from "./drift-bench.ts";
import { benchEvaluate } from "./evaluate-bench.ts";
import { benchMetrics } from "./metrics-bench.ts";
import { benchOnnxruntimePack } from "./onnxruntime-pack-bench.ts";
import { benchReadTable } from "./read-table-bench.ts";
import { benchReport } from "./report-bench.ts";
import { benchRetrain } from "./retrain-bench.ts";
import { benchServe } from "./serve-bench.ts";

const BENCHES: Record<string, { what: string; run: () => Promise<Record<string, number>> }> = {
  evaluate: { what: "modelci evaluate vs a bare onnxruntime loop, 1M rows", run: benchEvaluate },
  metrics: { what: "metric computation and paired bootstrap, 1M predictions", run: benchMetrics },
  report: { what: "comparing and rendering a report of 200 models × 30 metrics", run: benchReport },
  "read-table": { what: "CSV and Parquet readers", run: benchReadTable },
  "onnxruntime-pack": {
    what: "the evaluate Action's onnxruntime pack: size, cold and warm start",
    run: benchOnnxruntimePack,
  },
  deploy: {
    what: "deploying one changed target: GitHub requests, and the time from push to the driver's start",
    run: benchDeploy,
  },
  drift: {
    what: "modelci drift on flights-3m (split by date) vs reading the Parquet file; one column vs scipy",
    run: benchDrift,
  },
  app: {
    what: "the App: GitHub requests per gate evaluation and per retraining decision, webhook latency with GitHub on loopback",
    run: async () => ({ ...(await benchApp()), ...(await benchRetrain()) }),
  },
  serve: {
    what: "modelci serve on loopback vs bare session.run and bare node:http (autocannon), memory, hot swap",
    run: benchServe,
  },
};

const selected = process.argv.slice(2);
for (const name of selected) {
  if (!(name in BENCHES)) {
    console.error(`unknown bench ${JSON.stringify(name)}; benches: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
}
console.log(`node ${process.version} on ${process.platform}-${process.arch}`);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  console.log(`\n## ${name}: ${bench.what}`);
  const started = performance.now();
  const figures = await bench.run();
  for (const [key, value] of Object.entries(figures))
    console.log(`  ${key.padEnd(36)} ${value.toLocaleString("en-US")}`);
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
