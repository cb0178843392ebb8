import { spawn } from "node:child_process";
import { simpleGit } from "simple-git";
import { UserError } from "../../core/errors.ts";

/**
 * Reads many `<rev>:<path>` objects with one `git cat-file --batch`, in order; undefined for each
 * one that does not exist. Paths starting with `./` are relative to `dir`.
 */
export async function readBlobs(dir: string, specs: readonly string[]): Promise<(Uint8Array | undefined)[]> {
  if (specs.length === 0) return [];
  if (specs.some((spec) => /[\n\r]/.test(spec))) throw new UserError("a git path contains a line break");
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`git cat-file --batch exited with ${code}: ${Buffer.concat(errors).toString()}`));
    });
    child.stdin.end(`${specs.join("\n")}\n`);
  });
  const blobs: (Uint8Array | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const end = output.indexOf(0x0a, at);
    if (end < 0) throw new Error("git cat-file --batch: output ended early");
    const header = output.subarray(at, end).toString();
    at = end + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (match === null) {
      blobs.push(undefined); // `<spec> missing` or `<spec> ambiguous`
      continue;
    }
    const size = Number(match[2]);
    blobs.push(match[1] === "blob" ? new Uint8Array(output.subarray(at, at + size)) : undefined);
    at += size + 1;
  }
  return blobs;
}

/** Git blob ids of every file under `path` at `rev`, by path relative to `dir`. */
export async function listBlobIds(dir: string, rev: string, path: string): Promise<Map<string, string>> {
  const output = await simpleGit({ baseDir: dir }).raw([
    "ls-tree",
    "-r",
    "-z",
    rev,
    "--",
    path === "" ? "." : path,
  ]);
  const ids = new Map<string, string>();
  for (const entry of output.split("\0")) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (match?.[1] !== undefined && match[2] !== undefined) ids.set(match[2], match[1]);
  }
  return ids;
}
