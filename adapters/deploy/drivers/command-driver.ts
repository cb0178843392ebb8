/**
 * The `command` driver: runs `driver.run` without a shell (words split as for experiments), in the
 * repository folder, with MODELCI_* variables describing the whole target (core/deploy/build-deploy-env.ts).
 * Its output streams to the log; after `timeout-minutes` its whole process group is stopped.
 */
import { buildDeployEnv } from "../../../core/deploy/build-deploy-env.ts";
import type { DeployDriver } from "../../../core/deploy/deploy-driver.ts";
import { UserError } from "../../../core/errors.ts";
import { buildArgv } from "../../../core/train/build-argv.ts";
import type { Driver } from "../../../schemas/deployment.ts";
import { runCommand } from "../../process/run-command.ts";

type CommandSettings = Extract<Driver, { kind: "command" }>;

export function commandDriver(settings: CommandSettings): DeployDriver {
  return {
    async deploy(request, context) {
      const argv = buildArgv(settings.run, {});
      const timeoutMs = settings["timeout-minutes"] * 60_000;
      context.log(`$ ${argv.join(" ")}`);
      const result = await runCommand({
        argv,
        cwd: context.dir,
        env: { ...context.env, ...settings.env, ...buildDeployEnv(request) },
        timeoutMs,
        onLine: (_stream, line) => context.log(`  ${line}`),
      });
      if (result.timedOut) {
        throw new UserError(
          `${argv[0]} timed out after ${settings["timeout-minutes"]} min; its process group was stopped`,
        );
      }
      if (result.exitCode !== 0) {
        const how = result.signal === null ? `exit code ${result.exitCode}` : `signal ${result.signal}`;
        const last = result.tail.at(-1);
        throw new UserError(`${argv[0]} failed (${how})${last === undefined ? "" : `: ${last}`}`);
      }
      return {};
    },
  };
}
