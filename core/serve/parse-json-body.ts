/**
 * Parses a request body as JSON after checking its nesting depth, so a 10,000-deep array is
 * refused with a message instead of reaching code that recurses over it.
 */
import { RequestError } from "./request-error.ts";

export const DEFAULT_MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in JSON text, stopping early past `limit`. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** The body's JSON value; a 400 RequestError for text that is not JSON or nests too deep. */
export function parseJsonBody(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new RequestError(400, `request body nests arrays and objects deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RequestError(400, `request body is not valid JSON: ${reason}`);
  }
}
