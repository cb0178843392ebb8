/**
 * A corpus of invalid declarations, each with the exact diagnostics it must give.
 *
 * Every file in test/fixtures/invalid is one declaration that replaces or adds one file of
 * test/fixtures/valid-repo. Its first line says where it goes (`# path: experiments/train.yaml`) and the
 * lines after it list the exact error lines expected, in order (`# expect: file:line:col: field: message`).
 * The header lines stay in the file, so the expected positions count them.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workingTreeSource } from "../adapters/files/working-tree-source.ts";
import { type Diagnostic, formatDiagnostic } from "../core/declarations/diagnostic.ts";
import { validateProject } from "../core/rules/validate-project.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(REPO, "bin", "modelci.js");
const VALID_REPO = join(REPO, "test", "fixtures", "valid-repo");
const INVALID = join(REPO, "test", "fixtures", "invalid");

/**
 * Cases whose current message or position is wrong. Their `# expect:` lines are the correct behaviour,
 * so they run as `it.fails` until core is fixed; then remove them from this list.
 */
const KNOWN_WRONG: Record<string, string> = {};

interface Case {
  name: string;
  /** Where the file goes, relative to the repository. */
  path: string;
  expected: string[];
  bytes: Buffer;
}

function loadCases(): Case[] {
  return readdirSync(INVALID)
    .filter((file) => file.endsWith(".yaml"))
    .sort()
    .map((file) => {
      const bytes = readFileSync(join(INVALID, file));
      const lines = bytes.toString("utf8").split("\n");
      const path = /^# path: (.+)$/.exec(lines[0] ?? "")?.[1];
      if (path === undefined) throw new Error(`${file}: the first line must be "# path: <file in the repo>"`);
      const expected: string[] = [];
      for (const line of lines.slice(1)) {
        const match = /^# expect: (.+)$/.exec(line);
        if (!match?.[1]) break;
        expected.push(match[1]);
      }
      if (expected.length === 0) throw new Error(`${file}: the second line must be "# expect: <diagnostic>"`);
      return { name: file.replace(/\.yaml$/, ""), path, expected, bytes };
    });
}

const CASES = loadCases();

let scratch: string;
let counter = 0;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "modelci-invalid-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A copy of the valid repository with one file put in place (replaced or added). */
async function repoWith(path: string, bytes: Uint8Array): Promise<string> {
  counter += 1;
  const dir = join(scratch, `case-${counter}`);
  await cp(VALID_REPO, dir, { recursive: true });
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), bytes);
  return dir;
}

async function validate(path: string, bytes: Uint8Array): Promise<Diagnostic[]> {
  const dir = await repoWith(path, bytes);
  return (await validateProject(workingTreeSource(dir))).diagnostics;
}

const errorLines = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);

/** Words that mean a message was built from something that is not text, or left to zod's default. */
function placeholders(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .map(formatDiagnostic)
    .filter((line) => /undefined|\[object Object\]|Invalid input/.test(line));
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPO }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

const STACK_TRACE = /\n\s+at /;

/** Generated in the test (binary, huge or hostile content is not committed). */
interface GeneratedCase {
  name: string;
  path: string;
  bytes: Uint8Array;
  expected: string[];
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(parts.flatMap((p) => [...p]));

function fiveMebibytes(): Uint8Array {
  const head = "model: churn\ncommand: node train.js\noutputs: { model: out/model.onnx }\n";
  const size = 5 * 1024 * 1024;
  const line = `#${"x".repeat(98)}\n`;
  const body = line.repeat(Math.ceil((size - head.length) / line.length));
  return utf8(`${head}${body}`.slice(0, size));
}

/** "Billion laughs": 9 levels of 9 aliases each, 9^9 (387 million) strings once expanded. */
function aliasBomb(): Uint8Array {
  const names = "abcdefghi";
  let text = `a: &a [${Array(9).fill('"lol"').join(", ")}]\n`;
  for (let level = 1; level < 9; level++) {
    const name = names.charAt(level);
    const previous = names.charAt(level - 1);
    text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]\n`;
  }
  return utf8(text);
}

const GENERATED: GeneratedCase[] = [
  {
    name: "non-UTF-8 byte (Latin-1 é)",
    path: "experiments/train.yaml",
    bytes: concat(
      utf8("model: churn\ndescription: caf"),
      new Uint8Array([0xe9]),
      utf8(" au lait\ncommand: node train.js\noutputs: { model: out/model.onnx }\n"),
    ),
    expected: ["experiments/train.yaml:2:17: invalid UTF-8 byte 0xe9; declaration files must be UTF-8"],
  },
  {
    name: "non-UTF-8 byte after multi-byte characters (column counts characters)",
    path: "experiments/train.yaml",
    bytes: concat(
      utf8("model: churn\ndescription: été "),
      new Uint8Array([0xff]),
      utf8("\ncommand: node train.js\noutputs: { model: out/model.onnx }\n"),
    ),
    expected: ["experiments/train.yaml:2:18: invalid UTF-8 byte 0xff; declaration files must be UTF-8"],
  },
  {
    name: "a 5 MiB file",
    path: "experiments/train.yaml",
    bytes: fiveMebibytes(),
    expected: ["experiments/train.yaml:1:1: file is 5.0 MiB; declaration files are limited to 1 MiB"],
  },
  {
    name: "a billion laughs alias bomb",
    path: "experiments/train.yaml",
    bytes: aliasBomb(),
    expected: [
      'experiments/train.yaml:2:8: aliases expand too much (more than 100 expansions); refusing a possible "billion laughs" document',
    ],
  },
  {
    name: "flow lists nested 100,000 deep",
    path: "experiments/train.yaml",
    bytes: utf8(
      `model: churn\ncommand: node train.js\nparams: { lr: ${"[".repeat(100_000)}${"]".repeat(100_000)} }\noutputs: { model: out/model.onnx }\n`,
    ),
    expected: ["experiments/train.yaml:3:77: nesting deeper than 64 levels; declarations need far fewer"],
  },
  {
    name: "block lists nested 100,000 deep",
    path: "experiments/train.yaml",
    bytes: utf8(
      `model: churn\ncommand: node train.js\nparams:\n  lr:\n    ${"- ".repeat(100_000)}x\noutputs: { model: out/model.onnx }\n`,
    ),
    expected: ["experiments/train.yaml:5:129: nesting deeper than 64 levels; declarations need far fewer"],
  },
  {
    name: "a file of 0 bytes",
    path: "deployments/staging.yaml",
    bytes: new Uint8Array(),
    expected: ["deployments/staging.yaml:1:1: file is empty; expected a mapping"],
  },
  {
    name: "CRLF line endings and a byte order mark keep positions right",
    path: "experiments/train.yaml",
    bytes: utf8(
      "\ufeffmodel: churn\r\ncommand: node train.js\r\noutputs: { model: out/model.onnx }\r\ntimeout-minutes: 0\r\n",
    ),
    expected: ["experiments/train.yaml:4:18: timeout-minutes: must be > 0, got 0"],
  },
];

describe("the valid repository", () => {
  it("validates with no errors and no warnings", async () => {
    const validation = await validateProject(workingTreeSource(VALID_REPO));
    expect(validation.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(validation.project.versions.get("churn")?.size).toBe(1);
    expect(validation.project.deployments.size).toBe(2);
  });
});

describe("invalid declarations", () => {
  it("has a corpus of at least 35 cases, each known-wrong entry naming a real case", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(35);
    const names = new Set(CASES.map((c) => c.name));
    for (const name of Object.keys(KNOWN_WRONG)) expect([...names], name).toContain(name);
  });

  for (const c of CASES) {
    const test = c.name in KNOWN_WRONG ? it.fails : it;
    test(`${c.name}: ${c.expected.join(" | ")}`, async () => {
      const diagnostics = await validate(c.path, c.bytes);
      expect(errorLines(diagnostics)).toEqual(c.expected);
    });
  }

  for (const g of GENERATED) {
    it(`${g.name}: ${g.expected.join(" | ")}`, async () => {
      // The alias bomb and the 5 MiB file must be refused, not expanded or parsed: returning at all
      // (within the test timeout) is the check that nothing hung.
      const diagnostics = await validate(g.path, g.bytes);
      expect(errorLines(diagnostics)).toEqual(g.expected);
    });
  }

  it('no case says "undefined", "[object Object]" or "Invalid input"', async () => {
    const found: string[] = [];
    for (const c of [...CASES, ...GENERATED]) {
      found.push(...placeholders(await validate(c.path, c.bytes)));
    }
    expect(found).toEqual([]);
  });
});

describe("invalid declarations through the modelci CLI", () => {
  const THROUGH_CLI = [
    "enum-typo-task",
    "yaml-tab-indentation",
    "command-undeclared-param",
    "version-file-v1",
    "root-leaves-repository",
    "unresolved-alias",
  ];

  for (const name of THROUGH_CLI) {
    it(`${name}: exit 1, the message on stdout, no stack trace`, async () => {
      const c = CASES.find((candidate) => candidate.name === name);
      if (!c) throw new Error(`no case ${name}`);
      const dir = await repoWith(c.path, c.bytes);
      const result = await runCli(["validate", "--root", dir]);
      expect(result.code).toBe(1);
      for (const line of c.expected) expect(result.stdout).toContain(`${line}\n`);
      expect(result.stdout).toMatch(/✗ \d+ errors?/);
      expect(result.stdout).not.toMatch(STACK_TRACE);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    });
  }

  it("the alias bomb: exit 1 and the refusal on stdout, without hanging", async () => {
    const bomb = GENERATED.find((g) => g.name.includes("billion laughs"));
    if (!bomb) throw new Error("no alias bomb case");
    const dir = await repoWith(bomb.path, bomb.bytes);
    const result = await runCli(["validate", "--root", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${bomb.expected[0]}\n`);
    expect(result.stdout).not.toMatch(STACK_TRACE);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it("--format json carries the same diagnostic", async () => {
    const c = CASES.find((candidate) => candidate.name === "gate-unknown-metric");
    if (!c) throw new Error("no case gate-unknown-metric");
    const dir = await repoWith(c.path, c.bytes);
    const result = await runCli(["validate", "--root", dir, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { valid: boolean; errors: number; diagnostics: Diagnostic[] };
    expect(report.valid).toBe(false);
    expect(report.diagnostics.map(formatDiagnostic)).toEqual(c.expected);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it("the valid repository: exit 0", async () => {
    const result = await runCli(["validate", "--root", VALID_REPO]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✓ valid");
    expect(result.stderr).toBe("");
  });
});
