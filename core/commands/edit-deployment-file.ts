/**
 * Edits a deployment file's `models` in place. A changed number or a one-line entry is spliced
 * into the text at the position yaml's parser reports, so every other byte of the file stays as it
 * was; adding or removing a model goes through yaml's Document API, which keeps comments.
 */
import { type Document, isMap, isScalar, parseDocument } from "yaml";
import { UserError } from "../errors.ts";

/** What a target serves of one model, as written in its file. */
export type ServedEntry = { version: number } | { canary: { version: number; weight: number }[] };

function load(text: string, file: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UserError(`${file} is not valid YAML: ${doc.errors[0]?.message}`);
  if (!isMap(doc.contents)) throw new UserError(`${file} is not a mapping of fields`);
  if (doc.has("models") && !isMap(doc.get("models")))
    throw new UserError(`${file}: \`models\` is not a mapping`);
  return doc;
}

/** `{ version: 8 }`, `{ canary: [{ version: 7, weight: 90 }, { version: 8, weight: 10 }] }`. */
export function formatEntry(entry: ServedEntry): string {
  if ("version" in entry) return `{ version: ${entry.version} }`;
  return `{ canary: [${entry.canary.map((c) => `{ version: ${c.version}, weight: ${c.weight} }`).join(", ")}] }`;
}

const splice = (text: string, range: readonly number[] | null | undefined, replacement: string) =>
  range ? `${text.slice(0, range[0])}${replacement}${text.slice(range[1])}` : undefined;

/** The edit as a splice of the existing entry's text, when the entry is there and fits on its line. */
function spliceEntry(text: string, doc: Document, model: string, entry: ServedEntry): string | undefined {
  const node = doc.getIn(["models", model], true);
  if (!isMap(node)) return undefined;
  const version = node.get("version", true);
  if ("version" in entry && isScalar(version) && !node.has("canary"))
    return splice(text, version.range, String(entry.version));
  return node.flow ? splice(text, node.range, formatEntry(entry)) : undefined;
}

/** Applies one model's change: a splice when it can, else through the Document. */
function applyEntry(text: string, file: string, model: string, entry: ServedEntry | undefined): string {
  const doc = load(text, file);
  if (entry !== undefined) {
    const spliced = spliceEntry(text, doc, model, entry);
    if (spliced !== undefined) return spliced;
  }
  if (!doc.has("models")) doc.set("models", doc.createNode({}, { flow: true }));
  if (entry === undefined) doc.deleteIn(["models", model]);
  else doc.setIn(["models", model], doc.createNode(entry, { flow: true }));
  return doc.toString();
}

/**
 * Sets what a target serves of each model (`undefined`: stop serving it), keeping every other
 * field and comment of the file.
 */
export function setServedModels(
  text: string,
  file: string,
  models: ReadonlyMap<string, ServedEntry | undefined>,
): string {
  let edited = text;
  for (const [model, entry] of models) {
    const current = load(edited, file).getIn(["models", model]);
    if (entry === undefined && current === undefined) continue;
    edited = applyEntry(edited, file, model, entry);
  }
  return edited;
}

/** Makes the target serve `version` of `model`, replacing a canary. */
export function setServedVersion(text: string, file: string, model: string, version: number): string {
  return setServedModels(text, file, new Map([[model, { version }]]));
}
