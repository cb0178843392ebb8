#!/usr/bin/env node
// The modelci CLI. TypeScript sources run through tsx's loader, so a clean clone needs
// only `npm ci` and no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
