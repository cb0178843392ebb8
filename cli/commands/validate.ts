import { relative, resolve } from "node:path";
import { validateProject } from "../../core/rules/validate-project.ts";
import type { Command } from "../command.ts";
import { formatGithubAnnotation, formatText, plural } from "../format-diagnostics.ts";
import { openSource } from "../open-source.ts";
import { stringOption } from "../parse-command-line.ts";

const FORMATS = ["text", "json", "github"] as const;

export const validateCommand: Command = {
  name: "validate",
  help: `Usage: modelci validate [--root DIR] [--ref REV] [--format text|json|github] [--strict]

Finds modelci.yaml, experiments/*.yaml, models/*/model.yaml, models/*/versions/*.yaml and
deployments/*.yaml under the root, checks each against its schema, then checks the rules
between files (models exist, versions are registered, metrics are known, cron is valid…), and
what training and evaluation will read: every data path exists at that revision, and the header
of a CSV or JSON Lines evaluation file has the label and the declared features (paths declared
\`produced: true\` are written at run time and not checked). A root with no declarations at all
is an error, so a wrong --root (or \`root\` in modelci.yaml) never passes.

Options:
  --root DIR       repository folder to validate (default: .)
  --ref REV        read the files at a git revision instead of the working tree
  --format FORMAT  text (default), json, or github (workflow commands that annotate a PR)
  --strict         treat warnings as errors

Exit status: 0 valid, 1 errors found, 2 usage error.

Examples:
  modelci validate --root examples/weather
  modelci validate --ref origin/main --format github`,
  options: {
    root: { type: "string", default: "." },
    ref: { type: "string" },
    format: { type: "string", default: "text" },
    strict: { type: "boolean", default: false },
  },
  maxPositionals: 0,
  async run(args, output) {
    const root = stringOption(args, "root") ?? ".";
    const format = stringOption(args, "format", FORMATS) ?? "text";
    const strict = args.values.strict === true;
    const source = await openSource(root, stringOption(args, "ref"));
    const { project, diagnostics, errors, warnings } = await validateProject(source, {
      data: true,
      requireDeclarations: true,
    });
    const failed = errors > 0 || (strict && warnings > 0);
    const counts = {
      experiments: project.experiments.size,
      models: project.models.size,
      versions: [...project.versions.values()].reduce((n, v) => n + v.size, 0),
      deployments: project.deployments.size,
    };
    if (format === "json") {
      output.out(
        `${JSON.stringify({ valid: !failed, errors, warnings, source: source.label, counts, diagnostics }, null, 2)}\n`,
      );
      return failed ? 1 : 0;
    }
    if (format === "github") {
      const prefix = relative(process.cwd(), resolve(root));
      for (const d of diagnostics)
        output.out(`${formatGithubAnnotation(d, prefix === "" ? "" : `${prefix}/`)}\n`);
    } else if (diagnostics.length > 0) {
      output.out(`${formatText(diagnostics)}\n`);
    }
    const found = `${plural(counts.experiments, "experiment")}, ${plural(counts.models, "model")}, ${plural(counts.versions, "version")}, ${plural(counts.deployments, "deployment target")}`;
    const verdict = failed
      ? `✗ ${plural(errors, "error")}, ${plural(warnings, "warning")}${strict && errors === 0 ? " (--strict)" : ""}`
      : `✓ valid${warnings > 0 ? ` with ${plural(warnings, "warning")}` : ""}`;
    output.out(`${verdict}: ${found} in ${root} (${source.label})\n`);
    return failed ? 1 : 0;
  },
};
