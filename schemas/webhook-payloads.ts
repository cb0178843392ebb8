import { z } from "zod";

/**
 * The fields of GitHub's webhook payloads that the App's handlers read, checked at the edge before
 * any handler runs. Objects are loose: GitHub sends far more than this, and only what is read is
 * required. A payload that does not fit is logged and answered "ignored", never handled.
 */

const login = z.string().min(1).meta({ description: "A GitHub login." });
const sha = z
  .string()
  .regex(/^[0-9a-f]{40}$/i, { error: "must be a 40-character commit sha" })
  .meta({ description: "A commit sha." });
const positive = z.number().int().positive();

const repositorySchema = z
  .looseObject({
    name: z.string().min(1).meta({ description: "The repository's name." }),
    owner: z.looseObject({ login }).meta({ description: "The repository's owner." }),
  })
  .meta({ description: "The repository the event happened in." });

const pullSchema = z
  .looseObject({
    number: positive.meta({ description: "The pull request's number." }),
    state: z.string().meta({ description: "open or closed." }),
    draft: z.boolean().nullish().meta({ description: "Whether the pull request is a draft." }),
    user: z.looseObject({ login }).nullable().meta({ description: "The pull request's author." }),
    base: z
      .looseObject({ sha, ref: z.string().min(1) })
      .meta({ description: "The branch it merges into, at its current commit." }),
    head: z.looseObject({ sha }).meta({ description: "The proposed commit." }),
  })
  .meta({ description: "A pull request." });

const listedPullsSchema = z
  .array(z.looseObject({ number: positive }))
  .meta({ description: "The pull requests of this repository whose head the check belongs to." });

export const issueCommentPayloadSchema = z
  .looseObject({
    comment: z.looseObject({
      id: positive.meta({ description: "The comment's id." }),
      body: z.string().meta({ description: "The comment's text." }),
      user: z
        .looseObject({ login, type: z.string() })
        .nullable()
        .meta({ description: "Who wrote the comment." }),
    }),
    issue: z.looseObject({
      number: positive.meta({ description: "The issue or pull request number." }),
      pull_request: z
        .looseObject({})
        .nullish()
        .meta({ description: "Present when the issue is a pull request." }),
    }),
    repository: repositorySchema.extend({
      default_branch: z.string().min(1).meta({ description: "The branch commands start from." }),
    }),
    sender: z.looseObject({ login, type: z.string() }).meta({ description: "Who triggered the event." }),
  })
  .meta({ description: "issue_comment.created" });

export const pullRequestPayloadSchema = z
  .looseObject({
    pull_request: pullSchema,
    repository: repositorySchema,
    changes: z.looseObject({}).nullish().meta({ description: "What an `edited` event changed." }),
  })
  .meta({ description: "pull_request and pull_request_review events" });

export const checkRunPayloadSchema = z
  .looseObject({
    check_run: z.looseObject({
      id: positive.meta({ description: "The check run's id." }),
      name: z.string().meta({ description: "The check run's name." }),
      head_sha: sha,
      app: z
        .looseObject({ id: positive })
        .nullish()
        .meta({ description: "The app that owns the check run." }),
      pull_requests: listedPullsSchema,
    }),
    requested_action: z
      .looseObject({ identifier: z.string() })
      .nullish()
      .meta({ description: "The button pressed, for `requested_action`." }),
    repository: repositorySchema,
  })
  .meta({ description: "check_run.rerequested and check_run.requested_action" });

export const checkSuitePayloadSchema = z
  .looseObject({
    check_suite: z.looseObject({
      id: positive.meta({ description: "The check suite's id." }),
      head_sha: sha,
      pull_requests: listedPullsSchema,
    }),
    repository: repositorySchema,
  })
  .meta({ description: "check_suite.requested and check_suite.rerequested" });

export const deploymentProtectionRulePayloadSchema = z
  .looseObject({
    environment: z.string().nullish().meta({ description: "The environment deployed to." }),
    deployment_callback_url: z.string().nullish().meta({ description: "Where the verdict is posted." }),
    deployment: z.looseObject({ sha: z.string().nullish() }).nullish(),
    repository: repositorySchema,
  })
  .meta({ description: "deployment_protection_rule.requested" });

const defaultBranchRepositorySchema = repositorySchema.extend({
  default_branch: z
    .string()
    .min(1)
    .meta({ description: "The default branch: drift checks that count run on it." }),
});

export const workflowRunPayloadSchema = z
  .looseObject({
    workflow_run: z.looseObject({
      id: positive.meta({ description: "The workflow run's id." }),
      conclusion: z.string().nullable().meta({ description: "success, failure, …; null while running." }),
      check_suite_id: positive.meta({
        description: "Its check suite, which holds the modelci/drift check run.",
      }),
      head_branch: z.string().nullable().meta({ description: "The branch it ran on." }),
      html_url: z.string().meta({ description: "The run's page: the evidence link." }),
      path: z.string().optional().meta({ description: "The workflow file." }),
    }),
    repository: defaultBranchRepositorySchema,
  })
  .meta({ description: "workflow_run.completed" });

export const repositoryDispatchPayloadSchema = z
  .looseObject({
    action: z.string().meta({ description: "The dispatch's event_type (`modelci-drift`)." }),
    client_payload: z.unknown().meta({ description: "The drift result, checked by the retraining code." }),
    repository: defaultBranchRepositorySchema,
  })
  .meta({ description: "repository_dispatch" });
