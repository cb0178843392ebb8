/** Deployment status descriptions: GitHub keeps at most 140 characters. */

export const STATUS_DESCRIPTION_LIMIT = 140;

/** `text` cut to GitHub's limit, ending in "…" when cut. */
export function fitDescription(text: string): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  if (chars.length <= STATUS_DESCRIPTION_LIMIT) return chars.join("");
  return `${chars.slice(0, STATUS_DESCRIPTION_LIMIT - 1).join("")}…`;
}

/** "artifact mismatch: weather 2 sha256 3f2a…≠ expected 9b1c…" within the limit. */
export function describeMismatch(model: string, version: number, expected: string, actual: string): string {
  return fitDescription(
    `sha256 mismatch, nothing deployed: ${model} ${version} is ${actual.slice(0, 16)}…, expected ${expected.slice(0, 16)}…`,
  );
}
