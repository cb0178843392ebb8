import { existsSync, readFileSync } from "node:fs";
import { distFiles, referenceDocs, schemaFiles } from "./generated-files.ts";
import { isOnnxruntimePackFresh, ONNXRUNTIME_PACK_PATH } from "./pack-onnxruntime.ts";

/** Fails when a committed generated file differs from what the sources generate now. */
const expected = new Map([...schemaFiles(), ...(await referenceDocs()), ...(await distFiles())]);
const stale: string[] = [];
for (const [path, content] of expected) {
  if (!existsSync(path) || readFileSync(path, "utf8") !== content) stale.push(path);
}
if (!(await isOnnxruntimePackFresh(ONNXRUNTIME_PACK_PATH))) stale.push(ONNXRUNTIME_PACK_PATH);
if (stale.length > 0) {
  console.error(`Generated files are stale or missing:\n${stale.map((p) => `  ${p}`).join("\n")}`);
  console.error("Run `npm run build` and commit the result.");
  process.exit(1);
}
console.log(`generated files are fresh (${expected.size} files)`);
