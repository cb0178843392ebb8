import { resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { startServer } from "../../serve/index.ts";
import type { Command } from "../command.ts";
import { stringOption } from "../parse-command-line.ts";

function integerOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^[0-9]+$/.test(value) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}`);
  }
  return number;
}

export const serveCommand: Command = {
  name: "serve",
  help: `Usage: modelci serve --target TARGET [--root DIR] [--port N] [--host ADDR] [--workers N]

Serves every model version of a deployment target over HTTP (Open Inference Protocol v2) with
onnxruntime: canary weights, a shadow version, Prometheus metrics at /metrics, and sampled inputs
appended to the target's monitoring.current.path for drift checks. Each version's artifact is
fetched from its store and its sha256 verified before it loads.

It reads deployments/TARGET.yaml from the working tree; editing that file, SIGHUP, or
POST /admin/reload (loopback only) swaps versions without dropping a request: the new version is
loaded, verified and warmed before it takes traffic, and when it fails the old one keeps serving.
SIGTERM or Ctrl-C stops accepting, finishes in-flight requests and exits 0.

Options:
  --target TARGET  deployment target to serve (required)
  --root DIR       repository folder (default: .)
  --port N         port (default: the target's driver.port, else 8080)
  --host ADDR      address to listen on (default: the target's driver.host, else 127.0.0.1;
                   0.0.0.0 listens on every interface)
  --workers N      processes sharing the port (default 1)

Environment:
  MODELCI_SERVE_TOKEN        bearer token the /v2 and /v1 endpoints require
  MODELCI_SERVE_ADMIN_TOKEN  bearer token /admin/reload requires
  MODELCI_SERVE_LOG_SALT     key of the salted hashes of monitoring.log.hash columns

Exit status: 0 stopped by a signal, 1 the target cannot be served, 2 usage error.

Examples:
  modelci serve --target staging --root examples/weather --port 8081
  curl -s localhost:8081/v2/models/weather`,
  options: {
    target: { type: "string" },
    root: { type: "string", default: "." },
    port: { type: "string" },
    host: { type: "string" },
    workers: { type: "string" },
  },
  maxPositionals: 0,
  async run(args, output) {
    const target = stringOption(args, "target");
    if (target === undefined) throw new UsageError("--target is required (for example --target staging)");
    const server = await startServer({
      root: resolve(stringOption(args, "root") ?? "."),
      target,
      port: integerOption(stringOption(args, "port"), "port", 0, 65535),
      host: stringOption(args, "host"),
      workers: integerOption(stringOption(args, "workers"), "workers", 1, 256),
      notice: (message) => output.err(`${message}\n`),
    });
    output.out(`serving ${target} at ${server.url}\n`);
    if (!/^http:\/\/(127\.|\[::1\])/.test(server.url)) {
      output.err(
        `warning: listening beyond loopback (${server.url})${process.env.MODELCI_SERVE_TOKEN ? "" : "; set MODELCI_SERVE_TOKEN to require a token"}\n`,
      );
    }
    return new Promise<number>((done) => {
      const stop = () => {
        process.off("SIGHUP", reload);
        server.close().then(
          () => done(0),
          () => done(1),
        );
      };
      const reload = () => void server.reload();
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      process.on("SIGHUP", reload);
    });
  },
};
