import { UserError } from "../errors.ts";

/** The default report key: one report per pull request. */
export const DEFAULT_REPORT_KEY = "default";

const KEY = /^[A-Za-z0-9._/-]{1,100}$/;

/**
 * The hidden first line of a report, `<!-- modelci-report:KEY -->`, by which the sticky comment is
 * found again and updated in place. Different keys keep separate reports on one pull request.
 */
export function reportMarker(key: string = DEFAULT_REPORT_KEY): string {
  if (!KEY.test(key)) {
    throw new UserError(
      `report key ${JSON.stringify(key)}: use 1 to 100 letters, digits, '.', '_', '/' or '-'`,
    );
  }
  return `<!-- modelci-report:${key} -->`;
}
