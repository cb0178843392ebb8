/** The deploy drivers by kind: one factory each, picked by `driver.kind` in deployments/<target>.yaml. */
import type { DeployDriver, DriverKind } from "../../../core/deploy/deploy-driver.ts";
import type { Driver } from "../../../schemas/deployment.ts";
import { commandDriver } from "./command-driver.ts";
import { githubReleaseDriver } from "./github-release-driver.ts";
import { httpDriver } from "./http-driver.ts";
import { kubernetesDriver } from "./kubernetes-driver.ts";
import { serveDriver } from "./serve-driver.ts";

type Factory<K extends DriverKind> = (settings: Extract<Driver, { kind: K }>) => DeployDriver;

export const DEPLOY_DRIVERS: { [K in DriverKind]: Factory<K> } = {
  command: commandDriver,
  http: (settings) => httpDriver(settings),
  "github-release": () => githubReleaseDriver(),
  serve: serveDriver,
  kubernetes: (settings) => kubernetesDriver(settings),
};

/** The driver for a target's `driver` settings. */
export function createDriver(settings: Driver): DeployDriver {
  return (DEPLOY_DRIVERS[settings.kind] as Factory<typeof settings.kind>)(settings as never);
}
