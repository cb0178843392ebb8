#!/usr/bin/env node
// The modelci GitHub App (Probot). An installed package (or the container image) runs the
// JavaScript compiled into dist/; a clone of the repository runs the TypeScript sources through
// tsx's loader, so it needs only `npm ci` and no build step.
import { existsSync } from "node:fs";

const fromSources = existsSync(new URL("../app/start.ts", import.meta.url));
if (fromSources) (await import("tsx/esm/api")).register();
const { main } = await import(fromSources ? "../app/start.ts" : "../dist/app/start.js");
await main();
