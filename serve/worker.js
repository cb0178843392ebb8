// A `modelci serve --workers N` worker process (node:cluster). TypeScript sources run through
// tsx's loader, as in bin/modelci.js; the options come from the primary in MODELCI_SERVE_WORKER.
import { register } from "tsx/esm/api";

register();
const { runWorker } = await import("./run-worker.ts");
await runWorker();
