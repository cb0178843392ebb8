import { Document, isScalar, isSeq, visit } from "yaml";
import type { Version } from "../../schemas/version.ts";
import { SCHEMA_BASE_URL } from "../scaffold-files.ts";

export interface RenderVersionOptions {
  /** Which run it came from, for the header comment (`experiment/run-id`). */
  run: string;
  schemaBase?: string;
}

/**
 * The text of `models/<model>/versions/<n>.yaml`: the `$schema` line, a comment that says who wrote
 * it, then the version. Lists of scalars (quantiles, bin edges, shapes) and each signature tensor
 * are written on one line, so a profile stays readable.
 */
export function renderVersionFile(version: Version, options: RenderVersionOptions): string {
  const document = new Document(version);
  visit(document, {
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Map(_key, node, path) {
      const parent = path[path.length - 1];
      if (isSeq(parent) && node.items.every((pair) => isScalar(pair.value) || isSeq(pair.value)))
        node.flow = true;
    },
  });
  const base = options.schemaBase ?? SCHEMA_BASE_URL;
  const header = [
    `# yaml-language-server: $schema=${base}/version.schema.json`,
    `# Written by \`modelci register\` from run ${options.run}. Versions are immutable: register a new one instead of editing this file.`,
  ];
  return `${header.join("\n")}\n${document.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}
