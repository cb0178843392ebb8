import { MAX_VERSION, VERSION_DIGITS } from "../../schemas/common.ts";
import { UserError } from "../errors.ts";

const VERSION_FILE = new RegExp(`^(${VERSION_DIGITS})\\.ya?ml$`);

/** The version number a file name holds (`7.yaml` → 7), or undefined for other names. */
export function versionOfFileName(name: string): number | undefined {
  const match = VERSION_FILE.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * The next version number of a model: one more than the largest number any file in its versions
 * folder is named after, valid or not, so a number is never given out twice. At least `after + 1`.
 */
export function nextVersionNumber(fileNames: Iterable<string>, after = 0): number {
  let max = after;
  for (const name of fileNames) {
    const version = versionOfFileName(name);
    if (version !== undefined && version > max) max = version;
  }
  if (max >= MAX_VERSION) {
    throw new UserError(
      `version ${max} is the largest version number allowed (${MAX_VERSION}); no number is left to register`,
    );
  }
  return max + 1;
}
