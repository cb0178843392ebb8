import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCommand } from "../adapters/process/run-command.ts";
import { UserError } from "../core/errors.ts";
import { buildArgv, findParamReferences } from "../core/train/build-argv.ts";

const params = { lr: 0.1, depth: 4, name: "gbm", verbose: true };

describe("buildArgv", () => {
  it("splits on whitespace and substitutes params", () => {
    expect(buildArgv("node train.js --lr ${{ params.lr }} --depth ${{params.depth}}", params)).toEqual([
      "node",
      "train.js",
      "--lr",
      "0.1",
      "--depth",
      "4",
    ]);
  });

  it("renders numbers with String() and booleans as true/false", () => {
    expect(
      buildArgv("x ${{ params.a }} ${{ params.b }} ${{ params.c }}", { a: 1e-7, b: 2.5, c: false }),
    ).toEqual(["x", "1e-7", "2.5", "false"]);
  });

  it("handles single quotes, double quotes and backslashes like a POSIX shell", () => {
    const command = `a 'b  c' "d \\"e\\" \\n \\\\" f\\ g '' "" x"y"'z' 'it'\\''s'`;
    expect(buildArgv(command, {})).toEqual(["a", "b  c", 'd "e" \\n \\', "f g", "", "", "xyz", "it's"]);
  });

  it("keeps shell syntax literal inside quotes", () => {
    expect(buildArgv(`run '$HOME; *.csv | x' "a;b|c>d"`, {})).toEqual(["run", "$HOME; *.csv | x", "a;b|c>d"]);
  });

  it("joins lines continued with a backslash and splits on newlines", () => {
    expect(buildArgv("python train.py \\\n  --lr ${{ params.lr }}\n--x", params)).toEqual([
      "python",
      "train.py",
      "--lr",
      "0.1",
      "--x",
    ]);
  });

  it("substitutes inside a word and inside quotes, keeping the word whole", () => {
    expect(
      buildArgv(`t --lr=\${{ params.lr }} "--name=\${{ params.name }} v2" '\${{ params.depth }}'`, params),
    ).toEqual(["t", "--lr=0.1", "--name=gbm v2", "4"]);
  });

  it("keeps an injected value as one literal argument", () => {
    const hostile = { x: "1; rm -rf ~ && echo $(id) `id` $HOME 'q' \"d\" *" };
    expect(buildArgv("train --x ${{ params.x }}", hostile)).toEqual(["train", "--x", hostile.x]);
    expect(buildArgv("train --x", { x: "a b" })).toEqual(["train", "--x"]);
    expect(buildArgv("train ${{ params.x }}", { x: "" })).toEqual(["train", ""]);
  });

  it.each([
    ["train.py; rm x", ";", "column 9"],
    ["a | b", "|", "column 3"],
    ["a && b", "&", "column 3"],
    ["a > out.txt", ">", "column 3"],
    ["echo $HOME", "$", "column 6"],
    ['echo "$HOME"', "$", "column 7"],
    ["echo $(id)", "$", "column 6"],
    ["echo `id`", "`", "column 6"],
    ["ls data/*.csv", "*", "column 9"],
    ["ls ~/data", "~", "column 4"],
    ["a\n  b ; c", ";", "line 2, column 5"],
  ])("rejects shell syntax in %j", (command, char, where) => {
    expect(() => buildArgv(command, {})).toThrow(UserError);
    expect(() => buildArgv(command, {})).toThrow(`"${char}" at ${where} is shell syntax`);
    expect(() => buildArgv(command, {})).toThrow(/not by a shell.*script/);
  });

  it("allows characters that are special only at the start of a word elsewhere", () => {
    expect(buildArgv("a b~ c#d", {})).toEqual(["a", "b~", "c#d"]);
  });

  it.each([
    ["a 'b", "an unterminated single quote at column 3"],
    ['a "b', "an unterminated double quote at column 3"],
    ["a b\\", "a backslash at the end of the command at column 4"],
    ["a ${{ env.HOME }}", "an expression that is not `${{ params.NAME }}`"],
    ["a ${{ params.lr", "an expression that is not"],
    ["   ", "the command is empty"],
    ["FOO=1 python train.py", 'the first word "FOO=1" is an environment assignment'],
  ])("rejects %j", (command, message) => {
    expect(() => buildArgv(command, params)).toThrow(message);
  });

  it("names an unknown param and lists the known ones", () => {
    expect(() => buildArgv("t --x ${{ params.lrate }}", params)).toThrow(
      'unknown param "lrate" at column 7; known params: lr, depth, name, verbose',
    );
    expect(() => buildArgv("t ${{ params.x }}", {})).toThrow("no params are declared");
    expect(() => buildArgv("t ${{ params.toString }}", {})).toThrow('unknown param "toString"');
  });
});

describe("findParamReferences", () => {
  it("lists each referenced name once, in order", () => {
    expect(findParamReferences("t ${{ params.lr }} '${{params.depth}}' ${{ params.lr }}")).toEqual([
      "lr",
      "depth",
    ]);
    expect(findParamReferences("t --x 1")).toEqual([]);
  });

  it("still finds references in a command with shell syntax", () => {
    expect(findParamReferences("t ${{ params.a }}; u ${{ params.b }}")).toEqual(["a", "b"]);
  });
});

describe("no shell, for real", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("passes an injected param to the program as one literal argument", async () => {
    dir = await mkdtemp(join(tmpdir(), "modelci-argv-"));
    const marker = join(dir, "pwned-$RANDOM");
    const hostile = `1; touch ${marker}; echo $(touch ${marker}) \`touch ${marker}\` | touch ${marker}`;
    const argv = buildArgv(
      `node -e "console.log(JSON.stringify(process.argv.slice(1)))" -- --lr \${{ params.lr }} --tag 'a b'`,
      { lr: hostile },
    );
    const lines: string[] = [];
    const result = await runCommand({ argv, cwd: dir, onLine: (_stream, line) => lines.push(line) });

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(lines.join(""))).toEqual(["--lr", hostile, "--tag", "a b"]);
    expect(await readdir(dir)).toEqual([]);
  });
});
