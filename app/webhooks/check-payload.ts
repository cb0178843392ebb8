import type { z } from "zod";
import {
  checkRunPayloadSchema,
  checkSuitePayloadSchema,
  deploymentProtectionRulePayloadSchema,
  issueCommentPayloadSchema,
  pullRequestPayloadSchema,
  repositoryDispatchPayloadSchema,
  workflowRunPayloadSchema,
} from "../../schemas/webhook-payloads.ts";

/** The schema of each event the App handles: the fields its handler reads. */
export const PAYLOAD_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  issue_comment: issueCommentPayloadSchema,
  pull_request: pullRequestPayloadSchema,
  pull_request_review: pullRequestPayloadSchema,
  check_run: checkRunPayloadSchema,
  check_suite: checkSuitePayloadSchema,
  deployment_protection_rule: deploymentProtectionRulePayloadSchema,
  workflow_run: workflowRunPayloadSchema,
  repository_dispatch: repositoryDispatchPayloadSchema,
};

/**
 * What is wrong with a payload of event `name`, in one line naming the field
 * (`comment.user: expected object, received undefined`), or undefined when its handler can read it.
 * Events the App does not handle have nothing to check.
 */
export function checkPayload(name: string, payload: unknown): string | undefined {
  const schema = PAYLOAD_SCHEMAS[name];
  if (schema === undefined) return undefined;
  const result = schema.safeParse(payload);
  if (result.success) return undefined;
  const [issue] = result.error.issues;
  if (issue === undefined) return "does not fit its schema";
  const path = issue.path.map(String).join(".");
  return `${path === "" ? "payload" : path}: ${issue.message}`;
}
