import { resolve } from "node:path";
import { runDeploy } from "../../adapters/deploy/run-deploy.ts";
import { UsageError } from "../../core/errors.ts";
import type { Command } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

export const deployCommand: Command = {
  name: "deploy",
  help: `Usage: modelci deploy --target T [--root DIR] [--before REV --after REV] [--dry-run]

Deploys a deployment target through its driver (deployments/<target>.yaml: command, http,
github-release, serve or kubernetes), as actions/deploy does on a push to main, without GitHub.
Every artifact is fetched from its store and its sha256 checked before the driver sees it; when
the driver or the readiness check fails, the previous versions are deployed again (rollback.auto).

With --before and --after, only the targets whose file changed between the two commits deploy
(--target narrows them to one; without --target every changed target deploys). Without them,
--target is re-deployed as HEAD (or --after) has it; a rollback restores what it served at the
commit before. Declarations are read through git; commands run in the working tree.

Prints the plan, then each step. Exits 0 when every target deployed, 1 when one failed (rolled
back or not), 2 on bad usage.

Options:
  --target T     the deployment target (file name of deployments/<target>.yaml)
  --before REV   the commit before the change (a push's "before")
  --after REV    the commit after it (default: HEAD)
  --root DIR     repository folder (default: .)
  --dry-run      print the plan and deploy nothing

Examples:
  modelci deploy --target production --before HEAD~1 --after HEAD
  modelci deploy --target staging --dry-run`,
  options: {
    target: { type: "string" },
    before: { type: "string" },
    after: { type: "string" },
    root: { type: "string", default: "." },
    "dry-run": { type: "boolean", default: false },
  },
  maxPositionals: 0,
  async run(args, output) {
    const target = stringOption(args, "target");
    const before = stringOption(args, "before");
    if (target === undefined && before === undefined) {
      throw new UsageError("--target is required (or --before and --after, to deploy every changed target)");
    }
    const run = await runDeploy({
      dir: resolve(stringOption(args, "root") ?? "."),
      before,
      after: stringOption(args, "after") ?? "HEAD",
      only: target,
      dryRun: args.values["dry-run"] === true,
      env: process.env,
      log: (line) => output.out(`${line}\n`),
      error: (line) => output.err(`error: ${line}\n`),
    });
    for (const outcome of run.outcomes) {
      output.out(`${outcome.target}: ${outcome.state}: ${outcome.description}\n`);
    }
    return run.outcomes.some((o) => o.state !== "success") ? 1 : 0;
  },
};
