/**
 * Names and reasons from result files and manifests go into Markdown tables and headings. Escaped,
 * they cannot split a table cell (`|`), open a code span (`` ` ``), inject HTML or close the
 * report's hidden marker (`<`, `>`), or mention someone (`@alice` would notify them).
 */

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "|": "\\|",
  "`": "\\`",
  "<": "&lt;",
  ">": "&gt;",
  "@": "&#64;",
};

/** The longest user-provided text shown in one place; longer text ends in "…". */
export const MAX_TEXT = 200;

/** Text safe inside a Markdown table cell or heading: one line, escaped, at most `max` characters. */
export function escapeMarkdown(text: string, max = MAX_TEXT): string {
  const line = text.replace(/\s+/g, " ").trim();
  const short =
    line.length > max && [...line].length > max ? `${[...line].slice(0, max - 1).join("")}…` : line;
  return short.replace(/[\\|`<>@]/g, (char) => ESCAPES[char] ?? char);
}
