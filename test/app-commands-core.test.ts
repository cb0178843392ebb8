import { describe, expect, it } from "vitest";
import { setServedModels, setServedVersion } from "../core/commands/edit-deployment-file.ts";
import { parseCommand } from "../core/commands/parse-command.ts";
import { listMembershipQueries } from "../core/promotion/list-membership-queries.ts";

describe("parseCommand", () => {
  it("reads the four commands, wherever the line is in the comment", () => {
    expect(parseCommand("Ship it!\n\n/modelci promote weather 8 to production\nthanks")).toEqual({
      ok: true,
      command: { kind: "promote", model: "weather", version: 8, target: "production" },
    });
    expect(parseCommand("/modelci promote weather v12 TO staging")).toEqual({
      ok: true,
      command: { kind: "promote", model: "weather", version: 12, target: "staging" },
    });
    expect(parseCommand("  /modelci rollback production  ")).toEqual({
      ok: true,
      command: { kind: "rollback", target: "production" },
    });
    expect(parseCommand("/modelci help")).toEqual({ ok: true, command: { kind: "help" } });
    expect(parseCommand("/modelci retrain weather  the 2015 inputs shifted")).toEqual({
      ok: true,
      command: { kind: "retrain", model: "weather", reason: "the 2015 inputs shifted" },
    });
    expect(parseCommand("/modelci retrain")).toEqual({
      ok: false,
      error: "retrain needs a MODEL, for example `/modelci retrain weather inputs shifted`",
    });
    expect(parseCommand("Reviewed the new commits.\n/modelci RUN")).toEqual({
      ok: true,
      command: { kind: "run" },
    });
  });

  it("ignores comments without a command, quotes and code blocks", () => {
    expect(parseCommand("looks good")).toBeUndefined();
    expect(parseCommand("> /modelci promote weather 8 to production\nagreed")).toBeUndefined();
    expect(parseCommand("```\n/modelci rollback production\n```")).toBeUndefined();
    expect(parseCommand("see /modelci help")).toBeUndefined();
    expect(parseCommand("/modelcihelp")).toBeUndefined();
  });

  it("explains a malformed command", () => {
    const error = (body: string) => {
      const parsed = parseCommand(body);
      return parsed?.ok === false ? parsed.error : undefined;
    };
    expect(error("/modelci")).toBe("a command is missing after /modelci; try `/modelci help`");
    expect(error("/modelci promte weather 8 to staging")).toBe(
      'unknown command "promte" (did you mean "promote"?); the commands are promote, rollback, retrain, run, help',
    );
    expect(error("/modelci promote weather 8")).toBe(
      "promote needs MODEL VERSION to TARGET, for example `/modelci promote weather 8 to staging`",
    );
    expect(error("/modelci promote weather eight to staging")).toBe(
      'VERSION must be a version number such as 8, got "eight"',
    );
    expect(error("/modelci promote weather 8 into staging")).toBe(
      'expected `to` before the target, got "into": `/modelci promote weather 8 to staging`',
    );
    expect(error("/modelci promote Weather 8 to staging")).toContain('model "Weather" is not a valid name');
    expect(error("/modelci promote weather 8 to staging now")).toBe(
      'promote takes MODEL VERSION to TARGET; unexpected "now"',
    );
    expect(error("/modelci rollback")).toBe(
      "rollback needs a TARGET, for example `/modelci rollback production`",
    );
    expect(error("/modelci help me")).toBe('help takes no arguments; unexpected "me"');
    expect(error("/modelci run now please")).toBe('run takes no arguments; unexpected "now please"');
    expect(error("/modelci help\n/modelci rollback production")).toBe(
      "one /modelci command per comment; this one has 2",
    );
  });
});

describe("editing a deployment file", () => {
  const file = [
    "# Production: deployed by a script.",
    "environment: production",
    "models:",
    "  weather:",
    "    # pinned after the March incident",
    "    version: 7",
    "  rain: { canary: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }] }",
    "driver: { kind: command, run: ./deploy.sh } # keep",
    "",
  ].join("\n");

  it("changes only the version, or only the entry, leaving every other byte as it was", () => {
    expect(setServedVersion(file, "deployments/production.yaml", "weather", 8)).toBe(
      file.replace("version: 7", "version: 8"),
    );
    expect(setServedVersion(file, "deployments/production.yaml", "rain", 2)).toBe(
      file.replace("{ canary: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }] }", "{ version: 2 }"),
    );
    const flow = "environment: production\nmodels: { weather: { version: 7 } }   # what serves\n";
    expect(setServedVersion(flow, "deployments/production.yaml", "weather", 8)).toBe(flow.replace("7", "8"));
    expect(setServedVersion("environment: staging\nmodels: {}\n", "d.yaml", "weather", 1)).toBe(
      "environment: staging\nmodels: { weather: { version: 1 } }\n",
    );
  });

  it("replaces a canary, adds and removes models", () => {
    const edited = setServedModels(
      file,
      "deployments/production.yaml",
      new Map([
        ["rain", { version: 2 }],
        ["weather", undefined],
        [
          "snow",
          {
            canary: [
              { version: 3, weight: 50 },
              { version: 4, weight: 50 },
            ],
          },
        ],
      ]),
    );
    expect(edited).toContain("  rain: { version: 2 }\n");
    expect(edited).not.toContain("weather");
    expect(edited).toContain(
      "  snow: { canary: [ { version: 3, weight: 50 }, { version: 4, weight: 50 } ] }",
    );
    expect(edited).toContain("driver: { kind: command, run: ./deploy.sh } # keep");
  });

  it("refuses a file that is not YAML with a clear message", () => {
    expect(() => setServedVersion("models: [", "deployments/x.yaml", "weather", 1)).toThrow(
      /^deployments\/x\.yaml is not valid YAML/,
    );
  });
});

describe("listMembershipQueries", () => {
  it("asks only about reviewers whose latest verdict counts, for teams among owners not naming them", () => {
    const reviews = [
      { user: "bob", state: "APPROVED" as const, commit_id: "a", submitted_at: "2025-03-03T01:00:00Z" },
      { user: "carol", state: "APPROVED" as const, commit_id: "a", submitted_at: "2025-03-03T01:00:00Z" },
      { user: "alice", state: "APPROVED" as const, commit_id: "a", submitted_at: "2025-03-03T01:00:00Z" },
      { user: "dave", state: "APPROVED" as const, commit_id: "a", submitted_at: "2025-03-03T01:00:00Z" },
      { user: "dave", state: "DISMISSED" as const, commit_id: "a", submitted_at: "2025-03-03T02:00:00Z" },
      {
        user: "erin",
        state: "CHANGES_REQUESTED" as const,
        commit_id: "a",
        submitted_at: "2025-03-03T02:00:00Z",
      },
      { user: "frank", state: "COMMENTED" as const, commit_id: "a", submitted_at: "2025-03-03T02:00:00Z" },
    ];
    expect(listMembershipQueries([["@acme/forecasting", "alice"]], reviews, "carol")).toEqual([
      { team: "@acme/forecasting", org: "acme", slug: "forecasting", user: "bob" },
      { team: "@acme/forecasting", org: "acme", slug: "forecasting", user: "erin" },
    ]);
  });
});
