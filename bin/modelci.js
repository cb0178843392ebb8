#!/usr/bin/env node
// The modelci CLI. An installed package runs the JavaScript compiled into dist/ at `npm pack`.
// A clone of the repository (TypeScript sources beside this folder) runs the sources through
// tsx's loader, so it needs only `npm ci` and no build step.
import { existsSync } from "node:fs";

const fromSources = existsSync(new URL("../cli/main.ts", import.meta.url));
if (fromSources) (await import("tsx/esm/api")).register();
const { main } = await import(fromSources ? "../cli/main.ts" : "../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
