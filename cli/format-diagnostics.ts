import { type Diagnostic, formatDiagnostic } from "../core/declarations/diagnostic.ts";

/** Escapes text for a GitHub workflow command's message (`%`, CR, LF). */
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Escapes a workflow command property value (also `:` and `,`). */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** `::error file=…,line=…,col=…,title=…::message`, so GitHub annotates the pull request's diff. */
export function formatGithubAnnotation(d: Diagnostic, prefix: string): string {
  const file = escapeProperty(`${prefix}${d.file}`);
  const title = escapeProperty(`modelci: ${d.field === "" ? "declaration" : d.field}`);
  const message = escapeData(d.field === "" ? d.message : `${d.field}: ${d.message}`);
  return `::${d.severity} file=${file},line=${d.line},col=${d.col},title=${title}::${message}`;
}

export function formatText(list: readonly Diagnostic[]): string {
  return list.map(formatDiagnostic).join("\n");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
