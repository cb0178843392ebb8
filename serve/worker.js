// A `modelci serve --workers N` worker process (node:cluster); the options come from the primary in
// MODELCI_SERVE_WORKER. In a clone (TypeScript sources beside this file) it runs the sources through
// tsx's loader, as bin/modelci.js does; in the installed package, the JavaScript compiled beside it.
import { existsSync } from "node:fs";

const fromSources = existsSync(new URL("./run-worker.ts", import.meta.url));
if (fromSources) (await import("tsx/esm/api")).register();
const { runWorker } = await import(fromSources ? "./run-worker.ts" : "./run-worker.js");
await runWorker();
