#!/usr/bin/env node
// The modelci GitHub App (Probot). TypeScript sources run through tsx's loader, so a clean
// clone needs only `npm ci` and no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../app/start.ts");
await main();
