import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const index = require("@octokit/webhooks-examples/api.github.com/index.json") as {
  name: string;
  examples: Record<string, unknown>[];
}[];

/**
 * A real webhook payload from @octokit/webhooks-examples (GitHub's own examples), deep-copied so a
 * test can adjust it, for the event `name` and `action`.
 */
export function webhookExample(name: string, action?: string): Record<string, unknown> {
  const examples = index.find((event) => event.name === name)?.examples ?? [];
  const example = examples.find((e) => action === undefined || e.action === action);
  if (!example)
    throw new Error(`no ${name}${action ? `.${action}` : ""} example in @octokit/webhooks-examples`);
  return structuredClone(example);
}

/** Every example payload of event `name` in @octokit/webhooks-examples, deep-copied. */
export function webhookExamples(name: string): Record<string, unknown>[] {
  return structuredClone(index.find((event) => event.name === name)?.examples ?? []);
}
