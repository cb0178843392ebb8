import { existsSync, readFileSync } from "node:fs";
import { distFiles, schemaFiles } from "./generated-files.ts";

/** Fails when a committed generated file differs from what the sources generate now. */
const expected = new Map([...schemaFiles(), ...(await distFiles())]);
const stale: string[] = [];
for (const [path, content] of expected) {
  if (!existsSync(path) || readFileSync(path, "utf8") !== content) stale.push(path);
}
if (stale.length > 0) {
  console.error(`Generated files are stale or missing:\n${stale.map((p) => `  ${p}`).join("\n")}`);
  console.error("Run `npm run build` and commit the result.");
  process.exit(1);
}
console.log(`generated files are fresh (${expected.size} files)`);
