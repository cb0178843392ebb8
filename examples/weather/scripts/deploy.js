// The production target's deploy command (deployments/production.yaml, `command` driver). modelci
// runs it without a shell after checking every artifact's sha256, with MODELCI_* variables that
// describe the target (docs/deploy.md). It "deploys" by copying each model's verified artifact
// into served/<target>/ and appending a line to served/<target>/deploy.log, so a reader can see
// what is deployed without any network.
import { appendFileSync, copyFileSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";

const env = process.env;
const target = process.argv[2] ?? env.MODELCI_TARGET;
if (!target) {
  console.error("usage: node scripts/deploy.js <target> (run by `modelci deploy`)");
  process.exit(2);
}
const folder = join("served", target);
mkdirSync(folder, { recursive: true });
const deployed = [];
for (const model of (env.MODELCI_MODELS ?? "").split(",").filter(Boolean)) {
  const key = `MODELCI_MODEL_${model.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
  for (const version of (env[`${key}_VERSIONS`] ?? "").split(",").filter(Boolean)) {
    const artifact = env[`${key}_V${version}_ARTIFACT`];
    const weight = env[`${key}_V${version}_WEIGHT`];
    const file = join(folder, `${model}-v${version}.onnx`);
    // Copy to a temporary name, then rename: a reader never sees half a model.
    copyFileSync(artifact, `${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    deployed.push(
      `${model} ${version} (${weight}%, sha256 ${env[`${key}_V${version}_SHA256`]?.slice(0, 12)})`,
    );
    console.log(`copied ${artifact} → ${file}`);
  }
}
const line = `${new Date().toISOString()} ${env.MODELCI_ROLLBACK === "true" ? "rollback" : "deploy"} ${target} at ${env.MODELCI_COMMIT?.slice(0, 12)}: ${deployed.join(", ") || "nothing"}\n`;
appendFileSync(join(folder, "deploy.log"), line);
process.stdout.write(line);
