/**
 * Who asked for a pull request that a `/modelci` command opened, recorded as a git trailer in the
 * commit the App itself authors (`Modelci-Requested-By: alice`). Every command that opens a pull
 * request writes it with withRequesterTrailer; the gate reads it with readRequesterTrailers, and
 * only from the App's own verified commits (find-requesters.ts), never from text anyone can edit.
 */

export const REQUESTER_TRAILER = "Modelci-Requested-By";

const TRAILER_LINE = new RegExp(
  `^${REQUESTER_TRAILER}:[ \\t]*@?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)[ \\t]*$`,
  "gim",
);

/** The commit message with the requester's trailer as its last paragraph. */
export function withRequesterTrailer(message: string, login: string): string {
  return `${message.trimEnd()}\n\n${REQUESTER_TRAILER}: ${login}`;
}

/** The logins a commit message names as requesters (none when it has no trailer). */
export function readRequesterTrailers(message: string): string[] {
  return [...message.matchAll(TRAILER_LINE)].map((match) => match[1] as string);
}
