import type { Config, Deployment, Experiment, Model, Version } from "../../schemas/index.ts";
import type { SourceDocument } from "./parse-yaml-file.ts";

/** A declaration that parsed and passed its schema, with where it came from. */
export interface Declared<T> {
  name: string;
  file: string;
  source: SourceDocument;
  value: T;
}

/** Every declaration found under the modelci root, by name. */
export interface Project {
  /** The declarations folder relative to the repository folder: "" or "ml/" (with a trailing slash). */
  root: string;
  config: Config;
  configSource?: SourceDocument;
  experiments: Map<string, Declared<Experiment>>;
  models: Map<string, Declared<Model>>;
  /** model name → version number → version. */
  versions: Map<string, Map<number, Declared<Version>>>;
  deployments: Map<string, Declared<Deployment>>;
  /** Names of every declaration file found, valid or not, so one bad file does not cascade into others. */
  present: {
    experiments: Set<string>;
    models: Set<string>;
    versions: Set<string>;
    deployments: Set<string>;
  };
}

/** The file path of a declaration, relative to the repository folder. */
export function declarationPath(project: Pick<Project, "root">, relative: string): string {
  return `${project.root}${relative}`;
}
