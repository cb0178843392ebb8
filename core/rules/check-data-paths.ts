/**
 * What `modelci train` and `modelci evaluate` will read, checked at validation time: every data
 * path of an experiment exists at the revision validated (with a did-you-mean), and the evaluation
 * file's header has the label and the declared feature columns. Paths declared `produced: true`
 * are written by a command at run time and are not checked. Parquet headers are not read here.
 */
import picomatch from "picomatch";
import type { Experiment } from "../../schemas/experiment.ts";
import { readHeaderNames } from "../data/read-header-names.ts";
import { didYouMean } from "../declarations/did-you-mean.ts";
import type { FileSource } from "../declarations/file-source.ts";
import type { Declared, Project } from "../declarations/project.ts";
import type { Findings } from "./rule-context.ts";

/** Header lines longer than this are not checked. */
const HEAD_BYTES = 64 * 1024;

interface DataPath {
  field: (string | number)[];
  path: string;
  produced: boolean;
}

function dataPaths(experiment: Experiment): DataPath[] {
  const paths: DataPath[] = [];
  const train = experiment.data.train;
  if (typeof train === "string") paths.push({ field: ["data", "train"], path: train, produced: false });
  else if (train !== undefined)
    paths.push({ field: ["data", "train", "path"], path: train.path, produced: train.produced === true });
  const evaluation = experiment.data.eval;
  if (evaluation !== undefined)
    paths.push({
      field: ["data", "eval", "path"],
      path: evaluation.path,
      produced: evaluation.produced === true,
    });
  return paths;
}

function parentOf(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? "" : path.slice(0, at);
}

/** Whether `path` (a file, folder or glob, relative to the root) names anything in `files`. */
function exists(path: string, files: readonly string[]): boolean {
  if (picomatch.scan(path).isGlob) {
    const isMatch = picomatch(path, { dot: true });
    return files.some((file) => isMatch(file));
  }
  const folder = `${path.replace(/\/+$/, "")}/`;
  return files.some((file) => file === path || file.startsWith(folder));
}

/** The file format of an evaluation file that `validate` reads the header of. */
function headerFormat(path: string, format: string | undefined): "csv" | "jsonl" | undefined {
  const kind = format ?? (/\.csv$/i.test(path) ? "csv" : /\.(jsonl|ndjson)$/i.test(path) ? "jsonl" : "");
  return kind === "csv" || kind === "jsonl" ? kind : undefined;
}

async function readHead(source: FileSource, path: string) {
  if (source.readStart) return source.readStart(path, HEAD_BYTES);
  const bytes = await source.readFile(path);
  return bytes === undefined ? undefined : { bytes, complete: true };
}

async function checkHeader(
  experiment: Declared<Experiment>,
  source: FileSource,
  root: string,
  findings: Findings,
): Promise<void> {
  const evaluation = experiment.value.data.eval;
  if (evaluation === undefined || evaluation.produced === true) return;
  const format = headerFormat(evaluation.path, evaluation.format);
  if (format === undefined) return;
  const head = await readHead(source, `${root}${evaluation.path}`);
  if (head === undefined) return;
  const columns = readHeaderNames(head.bytes, format, head.complete);
  if (columns === undefined) return;
  const listed = columns.length > 12 ? `${columns.slice(0, 12).join(", ")}, …` : columns.join(", ");
  const missing = (name: string) =>
    `column ${JSON.stringify(name)} is not in the header of ${evaluation.path}${didYouMean(name, columns)}; its columns: ${listed}`;
  if (!columns.includes(evaluation.label))
    findings.error(experiment, ["data", "eval", "label"], missing(evaluation.label));
  for (const [i, feature] of (evaluation.features ?? []).entries()) {
    if (!columns.includes(feature))
      findings.error(experiment, ["data", "eval", "features", i], missing(feature));
  }
}

/** Checks every experiment's data paths and evaluation header against the source. */
export async function checkDataPaths(
  project: Project,
  source: FileSource,
  findings: Findings,
): Promise<void> {
  const listings = new Map<string, Promise<string[]>>();
  const list = (dir: string) => {
    let listing = listings.get(dir);
    if (listing === undefined) {
      listing = source.listFiles(dir);
      listings.set(dir, listing);
    }
    return listing;
  };
  for (const experiment of project.experiments.values()) {
    let evalFound = true;
    for (const { field, path, produced } of dataPaths(experiment.value)) {
      if (produced) continue;
      const full = `${project.root}${path}`;
      const base = picomatch.scan(full).isGlob
        ? picomatch.scan(full).base
        : parentOf(full.replace(/\/+$/, ""));
      const files = await list(base);
      if (exists(full, files)) continue;
      if (field[1] === "eval") evalFound = false;
      const nearby = new Set<string>();
      for (const file of files.length > 0 ? files : await list(parentOf(base))) {
        const relative = file.slice(project.root.length);
        nearby.add(relative);
        const folder = parentOf(relative);
        if (folder !== "") nearby.add(folder);
      }
      findings.error(
        experiment,
        field,
        `${path} does not exist in the ${source.label}${didYouMean(path, [...nearby])}; if a command writes it at run time, declare it with \`produced: true\``,
      );
    }
    if (evalFound) await checkHeader(experiment, source, project.root, findings);
  }
}
