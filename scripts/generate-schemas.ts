import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { schemaFiles } from "./generated-files.ts";

for (const [path, content] of schemaFiles()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path}`);
}
