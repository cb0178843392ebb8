/**
 * The App's webhook endpoint on its own (app/webhooks/handle-delivery.ts), in this process with a
 * recording receiver: the order of its checks, the bound on deliveries in flight, and answers that
 * never carry internal text. The App as a real process is in app-server.test.ts.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import type { Logger } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { checkPayload } from "../app/webhooks/check-payload.ts";
import { createDeliveryHandler, type Delivery } from "../app/webhooks/handle-delivery.ts";
import { testApp } from "./helpers/probot-app.ts";
import { webhookExamples } from "./helpers/webhook-example.ts";

const SECRET = "front-secret";
const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: quiet } as unknown as Logger;
let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(receive: (delivery: Delivery) => Promise<void>): Promise<string> {
  const handle = createDeliveryHandler({
    secret: SECRET,
    receive,
    log,
    limits: { maxBytes: 1000, maxInFlight: 2, answerWithinMs: 200 },
  });
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function sign(body: string): string {
  return `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
}

async function post(url: string, event: string, body: string, signature = sign(body)) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "x-github-event": event, "x-github-delivery": "d1", "x-hub-signature-256": signature },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** Headers and one byte of a 900-byte body, then nothing: a delivery that holds its slot. */
function stall(url: string): Promise<void> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: Number(port) }, () => {
      const head = [
        "POST / HTTP/1.1",
        "host: 127.0.0.1",
        "content-length: 900",
        "x-github-event: ping",
        "x-github-delivery: slow",
        `x-hub-signature-256: ${sign("x")}`,
      ];
      socket.write(`${head.join("\r\n")}\r\n\r\n{`, () => resolve());
    });
    socket.on("error", reject);
    sockets.push(socket);
  });
}

describe("the webhook endpoint", () => {
  it("verifies the signature over the raw bytes before parsing, and hands on only what it verified", async () => {
    const received: Delivery[] = [];
    const url = await serve(async (delivery) => void received.push(delivery));
    const raw = '{ "zen":  "Keep it logically awesome." }';
    expect(await post(url, "ping", raw)).toEqual({ status: 200, text: "ok\n" });
    // The same JSON, spaced differently: the signature is over bytes, so it no longer matches.
    const respaced = await post(url, "ping", JSON.stringify(JSON.parse(raw)), sign(raw));
    expect(respaced).toEqual({ status: 401, text: "the signature does not match the body\n" });
    // Not JSON, but signed: refused after the signature, before any handler.
    expect((await post(url, "ping", "{not json")).status).toBe(400);
    expect((await post(url, "ping", "x".repeat(1001))).status).toBe(413);
    expect(received).toEqual([{ id: "d1", name: "ping", payload: { zen: "Keep it logically awesome." } }]);
  });

  it("bounds deliveries in flight and answers 503 beyond", async () => {
    const url = await serve(async () => undefined);
    await Promise.all([stall(url), stall(url)]);
    let status = 0;
    // The server takes the stalled requests' headers when it gets to them (bounded wait).
    for (let i = 0; i < 50 && status !== 503; i++) {
      status = (await post(url, "ping", "{}")).status;
      if (status !== 503) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(503);
    for (const socket of sockets.splice(0)) socket.destroy();
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await post(url, "ping", "{}")).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
  });

  it("answers a failed handler 500 without its text, and a slow one 202 only once verified", async () => {
    const url = await serve(async (delivery) => {
      if (delivery.name === "ping")
        throw new TypeError("Cannot read properties of undefined (reading 'user')");
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    const failed = await post(url, "ping", "{}");
    expect(failed).toEqual({ status: 500, text: "delivery d1 failed; the App's log says why\n" });
    expect((await post(url, "installation", "{}")).text).toBe("accepted: still processing\n");
    expect((await post(url, "installation", "{}", sign("other"))).status).toBe(401);
  });

  it("ignores, with 202 and the field's name, signed payloads its handlers could not read", async () => {
    const url = await serve(async () => undefined);
    const cases: [string, object, string][] = [
      ["issue_comment", { action: "created" }, "comment: Invalid input: expected object, received undefined"],
      ["pull_request", { action: "opened", repository: {} }, "pull_request: Invalid input"],
      ["pull_request_review", { action: "submitted" }, "pull_request: Invalid input"],
      ["check_run", { action: "rerequested" }, "check_run: Invalid input"],
      ["check_suite", { action: "requested" }, "check_suite: Invalid input"],
    ];
    for (const [event, payload, problem] of cases) {
      const answer = await post(url, event, JSON.stringify(payload));
      expect(answer.status).toBe(202);
      expect(answer.text).toContain(`ignored: ${event} payload: ${problem}`);
    }
  });

  it("lets every example payload GitHub publishes for the handled events through", () => {
    const names = ["issue_comment", "pull_request", "pull_request_review", "check_run", "check_suite"];
    for (const name of names) {
      const examples = webhookExamples(name);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect([name, checkPayload(name, example)]).toEqual([name, undefined]);
    }
  });

  it("has every handler ignore a payload without its fields, even when handed over directly", async () => {
    const probot = await testApp();
    const events = [
      ["issue_comment", "created"],
      ["pull_request", "opened"],
      ["pull_request_review", "submitted"],
      ["check_run", "rerequested"],
      ["check_suite", "requested"],
      ["deployment_protection_rule", "requested"],
    ] as const;
    for (const [name, action] of events) {
      // No GitHub is stubbed here: a handler that went on would fail on its first request.
      await expect(
        probot.receive({ id: `d-${name}`, name, payload: { action } as never }),
      ).resolves.toBeUndefined();
    }
  });
});
