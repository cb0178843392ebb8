/**
 * GitHub's GraphQL API for tests: queries run against GitHub's published schema
 * (@octokit/graphql-schema), so a field, argument or variable type GitHub does not have fails the
 * test the way it would fail against github.com. Resolvers are plain objects: a field is a value or
 * a function of its arguments, and an object of an interface or union type names its `__typename`.
 */
import { schema as published } from "@octokit/graphql-schema";
import { buildClientSchema, type ExecutionResult, type GraphQLSchema, graphql } from "graphql";

let schema: GraphQLSchema | undefined;

function githubSchema(): GraphQLSchema {
  schema ??= buildClientSchema(published.json as never);
  return schema;
}

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** Runs one request body the way GitHub's GraphQL endpoint would, over `root`. */
export async function executeGitHubGraphql(body: unknown, root: object): Promise<ExecutionResult> {
  const { query, variables } = (body ?? {}) as Partial<GraphqlRequest>;
  if (typeof query !== "string")
    return { errors: [{ message: "a GraphQL request needs a `query` string" } as never] };
  return graphql({ schema: githubSchema(), source: query, variableValues: variables ?? {}, rootValue: root });
}
