import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCommand } from "../adapters/process/run-command.ts";
import { UserError } from "../core/errors.ts";

const node = process.execPath;

/** A process counts as gone when it no longer exists or is a zombie waiting to be reaped. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/** A node script that starts `sleep 1000` sharing its output, prints the sleeper's pid, then runs on. */
const spawnSleeper = `
const { spawn } = require("node:child_process");
const sleeper = spawn("sleep", ["1000"], { stdio: "inherit" });
console.log("grandchild " + sleeper.pid);
`;

function grandchildPid(lines: string[]): number {
  const line = lines.find((text) => text.startsWith("grandchild "));
  return Number(line?.slice("grandchild ".length));
}

describe("runCommand", () => {
  it("reports exit codes", async () => {
    const ok = await runCommand({ argv: [node, "-e", "process.exit(0)"] });
    expect(ok).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
    const failed = await runCommand({ argv: [node, "-e", "process.exit(3)"] });
    expect(failed).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(failed.durationMs).toBeGreaterThan(0);
  });

  it("streams lines in order, per stream, while the command runs", async () => {
    const script = `
      const wait = (ms) => new Promise((r) => setTimeout(r, ms));
      (async () => {
        process.stdout.write("out 1\\nout ");
        await wait(50);
        process.stdout.write("2\\r\\n");
        await wait(50);
        process.stderr.write("err 1\\n");
        await wait(50);
        process.stdout.write("héllo ✓\\nno newline at the end");
        await wait(400);
      })();`;
    const seen: Array<{ stream: string; line: string; at: number }> = [];
    const started = Date.now();
    const result = await runCommand({
      argv: [node, "-e", script],
      onLine: (stream, line) => seen.push({ stream, line, at: Date.now() - started }),
    });
    const finished = Date.now() - started;

    expect(result.exitCode).toBe(0);
    expect(seen.map(({ stream, line }) => [stream, line])).toEqual([
      ["stdout", "out 1"],
      ["stdout", "out 2"],
      ["stderr", "err 1"],
      ["stdout", "héllo ✓"],
      ["stdout", "no newline at the end"],
    ]);
    expect(seen[0]?.at).toBeLessThan(finished - 300);
    expect(result.tail).toEqual(seen.map(({ line }) => line));
  });

  it("keeps only the last tailLines lines", async () => {
    const result = await runCommand({
      argv: [node, "-e", "for (let i = 1; i <= 100; i++) console.log('line ' + i)"],
      tailLines: 3,
    });
    expect(result.tail).toEqual(["line 98", "line 99", "line 100"]);
  });

  it("passes cwd and env, and no shell", async () => {
    const result = await runCommand({
      argv: [node, "-e", "console.log(process.cwd(), process.env.MODELCI_TEST, process.argv[1])", "$HOME;*"],
      cwd: "/",
      env: { MODELCI_TEST: "yes", PATH: process.env.PATH },
    });
    expect(result.tail).toEqual(["/ yes $HOME;*"]);
  });

  it("kills the whole process group on timeout, grandchildren included", async () => {
    const lines: string[] = [];
    const result = await runCommand({
      argv: [node, "-e", `${spawnSleeper} setInterval(() => {}, 1000);`],
      timeoutMs: 1000,
      onLine: (_stream, line) => lines.push(line),
    });
    const pid = grandchildPid(lines);

    expect(result).toMatchObject({ exitCode: null, signal: "SIGTERM", timedOut: true });
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(pid).toBeGreaterThan(0);
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it("sends SIGKILL after the grace period to a command that ignores SIGTERM", async () => {
    const script =
      "process.on('SIGTERM', () => console.log('ignoring')); console.log('up'); setInterval(() => {}, 1000);";
    const result = await runCommand({
      argv: [node, "-e", script],
      timeoutMs: 500,
      killGraceMs: 500,
    });
    expect(result).toMatchObject({ exitCode: null, signal: "SIGKILL", timedOut: true });
    expect(result.tail).toEqual(["up", "ignoring"]);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it("ends what the command left running when it exits, instead of waiting for it", async () => {
    const lines: string[] = [];
    const started = Date.now();
    const result = await runCommand({
      argv: [node, "-e", `${spawnSleeper} setTimeout(() => process.exit(0), 100);`],
      onLine: (_stream, line) => lines.push(line),
    });
    expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await waitUntilGone(grandchildPid(lines))).toBe(true);
  });

  it("does not wait forever for a process that left the group but holds the output open", async () => {
    const script = `
      const { spawn } = require("node:child_process");
      const escaped = spawn("setsid", ["sleep", "30"], { stdio: "inherit" });
      console.log("grandchild " + escaped.pid);
      setTimeout(() => process.exit(0), 200);`;
    const lines: string[] = [];
    const started = Date.now();
    const result = await runCommand({
      argv: [node, "-e", script],
      killGraceMs: 500,
      onLine: (_stream, line) => lines.push(line),
    });
    const pid = grandchildPid(lines);
    try {
      expect(result.exitCode).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("stops the command when aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runCommand({
      argv: [node, "-e", "setInterval(() => {}, 1000)"],
      signal: controller.signal,
    });
    expect(result).toMatchObject({ exitCode: null, signal: "SIGTERM", timedOut: false });
  });

  it("says which command was not found, without crashing", async () => {
    const run = runCommand({ argv: ["modelci-no-such-command", "--lr", "1"] });
    await expect(run).rejects.toThrow(UserError);
    await expect(runCommand({ argv: ["modelci-no-such-command"] })).rejects.toThrow(
      "command not found: modelci-no-such-command",
    );
  });

  it("says when the working directory does not exist", async () => {
    await expect(runCommand({ argv: [node, "-e", ""], cwd: "/modelci/no/such/dir" })).rejects.toThrow(
      "working directory not found: /modelci/no/such/dir",
    );
  });

  it("rejects an empty argv", async () => {
    await expect(runCommand({ argv: [] })).rejects.toThrow("the command is empty");
  });
});
