import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { distFiles, schemaFiles } from "./generated-files.ts";

const files = new Map([...schemaFiles(), ...(await distFiles())]);
for (const [path, content] of files) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path} (${(Buffer.byteLength(content) / 1024).toFixed(0)} KiB)`);
}
