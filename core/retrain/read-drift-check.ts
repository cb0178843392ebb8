/**
 * The drift result inside a `modelci/drift` check run. actions/drift writes the check run's
 * `output.text` with the marker `<!-- modelci:drift-result -->` followed by the result JSON in a
 * ```json fenced block (the same JSON `modelci drift --target T --json` prints). Pure.
 */

export const DRIFT_CHECK_NAME = "modelci/drift";
export const DRIFT_RESULT_MARKER = "<!-- modelci:drift-result -->";

/** Whether a check run's name is a drift check's (`modelci/drift`, or `modelci/drift (target)`). */
export function isDriftCheck(name: string): boolean {
  return name === DRIFT_CHECK_NAME || name.startsWith(`${DRIFT_CHECK_NAME} `);
}

/** The fenced JSON block that carries a drift result, as a check run's text holds it. */
export function renderDriftResultBlock(result: unknown): string {
  return `${DRIFT_RESULT_MARKER}\n\n\`\`\`json\n${JSON.stringify(result)}\n\`\`\``;
}

export type DriftCheckText = { ok: true; value: unknown } | { ok: false; error: string };

/** The JSON after the marker, or why there is none. */
export function readDriftCheckText(text: string | null | undefined): DriftCheckText {
  if (!text) return { ok: false, error: "the check run has no text" };
  const at = text.indexOf(DRIFT_RESULT_MARKER);
  if (at < 0) return { ok: false, error: `the check run's text lacks ${DRIFT_RESULT_MARKER}` };
  const block = /```json\r?\n([\s\S]*?)\r?\n```/.exec(text.slice(at));
  if (block?.[1] === undefined) return { ok: false, error: "no ```json block follows the marker" };
  try {
    return { ok: true, value: JSON.parse(block[1]) };
  } catch {
    return { ok: false, error: "the result block is not valid JSON" };
  }
}
