import { posix } from "node:path";
import { configSchema } from "../../schemas/config.ts";
import { type Classified, classifyPath } from "./classify-path.ts";
import type { Diagnostic } from "./diagnostic.ts";
import { type FileSource, leavesSource, type Symlink } from "./file-source.ts";
import { locateNode } from "./locate-node.ts";
import { parseDeclaration } from "./parse-declaration.ts";
import type { Project } from "./project.ts";

export const CONFIG_FILE = "modelci.yaml";
const DECLARATION_DIRS = ["experiments", "models", "deployments"] as const;

export interface LoadedProject {
  project: Project;
  diagnostics: Diagnostic[];
}

function fileError(file: string, message: string, severity: Diagnostic["severity"] = "error"): Diagnostic {
  return { severity, file, line: 1, col: 1, field: "", message };
}

/** Normalises `root` from modelci.yaml into "" or "dir/", refusing paths that leave the repository. */
function normaliseRoot(root: string): string | undefined {
  const clean = posix.normalize(root.replaceAll("\\", "/")).replace(/\/+$/, "");
  if (clean === "." || clean === "") return "";
  if (clean.startsWith("..") || posix.isAbsolute(clean)) return undefined;
  return `${clean}/`;
}

/** A symbolic link where declarations are read: never followed, the same at every revision. */
function symlinkError(link: Symlink): Diagnostic {
  const where = leavesSource(link) ? ", outside the repository" : "";
  return fileError(
    link.path,
    `is a symbolic link to ${JSON.stringify(link.target)}${where}; modelci reads declarations only from regular files and folders and follows no symbolic links`,
  );
}

/** Errors for the symbolic links at, above or under the paths where declarations are read. */
async function findSymlinks(source: FileSource, paths: readonly string[]): Promise<Diagnostic[]> {
  if (!source.listSymlinks) return [];
  const seen = new Map<string, Symlink>();
  for (const path of paths) for (const link of await source.listSymlinks(path)) seen.set(link.path, link);
  return [...seen.values()].map(symlinkError);
}

/** Parses one classified file into the project; returns its problems. */
function addDeclaration(
  project: Project,
  classified: Exclude<Classified, { kind: "unknown" | "ignored" }>,
  file: string,
  bytes: Uint8Array,
): Diagnostic[] {
  const { name } = classified;
  switch (classified.kind) {
    case "experiment": {
      project.present.experiments.add(name);
      const parsed = parseDeclaration("experiment", file, bytes);
      if (!parsed.ok) return parsed.diagnostics;
      project.experiments.set(name, { name, file, source: parsed.source, value: parsed.value });
      return [];
    }
    case "model": {
      project.present.models.add(name);
      const parsed = parseDeclaration("model", file, bytes);
      if (!parsed.ok) return parsed.diagnostics;
      project.models.set(name, { name, file, source: parsed.source, value: parsed.value });
      return [];
    }
    case "deployment": {
      project.present.deployments.add(name);
      const parsed = parseDeclaration("deployment", file, bytes);
      if (!parsed.ok) return parsed.diagnostics;
      project.deployments.set(name, { name, file, source: parsed.source, value: parsed.value });
      return [];
    }
    case "version": {
      project.present.versions.add(name);
      const parsed = parseDeclaration("version", file, bytes);
      if (!parsed.ok) return parsed.diagnostics;
      const versions = project.versions.get(classified.model) ?? new Map();
      versions.set(classified.version, { name, file, source: parsed.source, value: parsed.value });
      project.versions.set(classified.model, versions);
      return [];
    }
  }
}

/** Finds, parses and schema-checks every declaration in a source. Cross-file rules run separately. */
export async function loadProject(source: FileSource): Promise<LoadedProject> {
  const diagnostics: Diagnostic[] = [];
  const project: Project = {
    root: "",
    config: configSchema.parse({}),
    experiments: new Map(),
    models: new Map(),
    versions: new Map(),
    deployments: new Map(),
    present: { experiments: new Set(), models: new Set(), versions: new Set(), deployments: new Set() },
  };

  const configLinks = await findSymlinks(source, [CONFIG_FILE]);
  diagnostics.push(...configLinks);
  const configBytes = configLinks.length > 0 ? undefined : await source.readFile(CONFIG_FILE);
  if (configBytes) {
    const parsed = parseDeclaration("config", CONFIG_FILE, configBytes);
    if (parsed.ok) {
      const root = normaliseRoot(parsed.value.root);
      const problem =
        root === undefined
          ? "must be a folder inside the repository"
          : root !== "" && (await source.kindOf?.(root.slice(0, -1))) === "file"
            ? `${JSON.stringify(parsed.value.root)} is a file; root must be a folder`
            : undefined;
      if (problem !== undefined) {
        const { line, col } = locateNode(parsed.source, ["root"]);
        diagnostics.push({
          severity: "error",
          file: CONFIG_FILE,
          line,
          col,
          field: "root",
          message: problem,
        });
      } else if (root !== undefined) {
        project.root = root;
      }
      project.config = parsed.value;
      project.configSource = parsed.source;
    } else {
      diagnostics.push(...parsed.diagnostics);
    }
  }

  const dirs = DECLARATION_DIRS.map((dir) => `${project.root}${dir}`);
  const links = await findSymlinks(source, dirs);
  diagnostics.push(...links);
  const linked = (path: string) =>
    links.some((link) => path === link.file || path.startsWith(`${link.file}/`));
  const seen = new Map<string, string>();
  for (const dir of DECLARATION_DIRS) {
    if (linked(`${project.root}${dir}`)) continue;
    for (const relative of await source.listFiles(`${project.root}${dir}`)) {
      const inRoot = relative.slice(project.root.length);
      const file = relative;
      const classified = classifyPath(inRoot);
      if (classified.kind === "ignored") continue;
      if (classified.kind === "unknown") {
        const severity = classified.reason.endsWith("ignored") ? "warning" : "error";
        diagnostics.push(fileError(file, classified.reason, severity));
        continue;
      }
      const key = `${classified.kind}:${classified.name}`;
      const first = seen.get(key);
      if (first !== undefined) {
        diagnostics.push(
          fileError(
            file,
            `duplicate ${classified.kind} ${JSON.stringify(classified.name)}: also declared in ${first}`,
          ),
        );
        continue;
      }
      seen.set(key, file);
      const bytes = (await source.readFile(relative)) ?? new Uint8Array();
      diagnostics.push(...addDeclaration(project, classified, file, bytes));
    }
  }
  return { project, diagnostics };
}
