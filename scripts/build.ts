import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { distFiles, referenceDocs, schemaFiles } from "./generated-files.ts";
import { ONNXRUNTIME_PACK_PATH, writeOnnxruntimePack } from "./pack-onnxruntime.ts";

const files = new Map([...schemaFiles(), ...(await referenceDocs()), ...(await distFiles())]);
for (const [path, content] of files) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path} (${(Buffer.byteLength(content) / 1024).toFixed(0)} KiB)`);
}
const pack = await writeOnnxruntimePack(ONNXRUNTIME_PACK_PATH);
console.log(
  `${pack.written ? "wrote" : "kept"} ${ONNXRUNTIME_PACK_PATH} (${(pack.bytes / 2 ** 20).toFixed(1)} MiB)`,
);
