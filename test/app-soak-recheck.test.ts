import { afterEach, describe, expect, it, vi } from "vitest";
import { createRechecks, RECHECK_MARGIN_MS, type SetTimer } from "../app/gate/schedule-rechecks.ts";
import { appRepo } from "./helpers/app-repo.ts";
import {
  type CheckCapture,
  expectCheck,
  expectDeclarations,
  NUMBER,
  pullData,
  pullRequestEvent,
  REPO,
  review,
} from "./helpers/gate-scenario.ts";
import { githubApi, resetGitHubApi } from "./helpers/github-api.ts";
import { stubRepo } from "./helpers/github-repo-stub.ts";
import { expectToken, testApp } from "./helpers/probot-app.ts";

afterEach(resetGitHubApi);

interface Timer {
  ms: number;
  run: () => void;
  cancelled: boolean;
}

/** Timers the test fires by hand. */
function manualTimers(): { timers: Timer[]; setTimer: SetTimer } {
  const timers: Timer[] = [];
  return {
    timers,
    setTimer: (ms, run) => {
      const timer = { ms, run, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  };
}

const SOAK_MET = Date.parse("2025-03-04T00:00:00Z");
/** A timer's re-evaluation runs on its own; give it time on a busy machine. */
const SETTLE = { timeout: 15_000 };

/**
 * A first evaluation at 03:12 on the day 8 was staged, approved by alice: only soak time is missing,
 * so the App schedules a re-check. The clock then moves to when it is due.
 */
async function evaluateBeforeSoak() {
  const repo = appRepo();
  const clock = { now: new Date("2025-03-03T03:12:00Z") };
  const { timers, setTimer } = manualTimers();
  const probot = await testApp({ clock: () => clock.now, setTimer });
  const api = expectToken(githubApi());
  const check: CheckCapture = {};
  expectDeclarations(stubRepo(api, repo.dir), repo).reviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
  expectCheck(api, check);
  await probot.receive(pullRequestEvent(repo));
  expect(check.body?.output?.title).toBe("1 of 6 rules missing");
  expect(timers.map((t) => t.ms)).toEqual([SOAK_MET + RECHECK_MARGIN_MS - clock.now.getTime()]);
  clock.now = new Date(SOAK_MET + RECHECK_MARGIN_MS);
  return { repo, api, check, timers };
}

describe("re-checking when soak time is met", () => {
  it("evaluates again once soak time is met, without anyone pressing Re-run", async () => {
    const { repo, api, check, timers } = await evaluateBeforeSoak();
    api.expect("GET", `${REPO}/pulls/${NUMBER}`, { reply: [200, pullData(repo)] });
    stubRepo(api, repo.dir).restReviews(NUMBER, [review("alice", "APPROVED", repo.head)]);
    expectCheck(api, check);
    timers[0]?.run();
    await vi.waitFor(() => expect(check.body?.conclusion).toBe("success"), SETTLE);
    expect(timers).toHaveLength(1);
    api.done();
  });

  it("leaves a pull request whose head moved to the evaluation of its new head", async () => {
    const { repo, api, check, timers } = await evaluateBeforeSoak();
    api.expect("GET", `${REPO}/pulls/${NUMBER}`, { reply: [200, pullData(repo, "f".repeat(40))] });
    timers[0]?.run();
    await vi.waitFor(() => expect(api.scope.isDone()).toBe(true), SETTLE);
    expect(check.body?.output?.title).toBe("1 of 6 rules missing");
    api.done();
  });
});

describe("the re-check timers", () => {
  it("replaces a pull request's timer, cancels it, and reaches a far time in hops", async () => {
    let now = new Date("2025-01-01T00:00:00Z");
    const { timers, setTimer } = manualTimers();
    const rechecks = createRechecks(() => now, setTimer);
    const ran: string[] = [];
    const task = (name: string) => async () => {
      ran.push(name);
    };
    rechecks.schedule("a#1", new Date("2025-01-01T01:00:00Z"), task("first"));
    rechecks.schedule("a#1", new Date("2025-01-01T02:00:00Z"), task("second"));
    expect(timers.map((t) => t.cancelled)).toEqual([true, false]);
    expect(timers[1]?.ms).toBe(2 * 3600_000 + RECHECK_MARGIN_MS);
    rechecks.cancel("a#1");
    expect(rechecks.size).toBe(0);

    const far = new Date("2025-01-31T00:00:00Z");
    rechecks.schedule("a#2", far, task("far"));
    expect(timers[2]?.ms).toBe(2 ** 31 - 1);
    now = new Date(now.getTime() + 2 ** 31 - 1);
    timers[2]?.run();
    expect(ran).toEqual([]);
    expect(timers[3]?.ms).toBe(far.getTime() + RECHECK_MARGIN_MS - now.getTime());
    now = new Date(far.getTime() + RECHECK_MARGIN_MS);
    timers[3]?.run();
    await vi.waitFor(() => expect(ran).toEqual(["far"]));
    expect(rechecks.size).toBe(0);
  });
});
