/**
 * Everything a retraining decision reads, in one GraphQL query: the default branch's head, the
 * repository configuration and the model's declaration at that head, and the pull requests from the
 * model's retraining branch with their bodies (where the fingerprint hides). A configuration whose
 * root is not the repository root costs one more query, for the model file under that root.
 */
import { parse } from "yaml";
import { UserError } from "../../core/errors.ts";
import type { RetrainPull } from "../../core/retrain/decide-retrain.ts";
import { retrainBranch } from "../../core/retrain/decide-retrain.ts";
import { configSchema } from "../../schemas/config.ts";
import { type Model, modelSchema } from "../../schemas/model.ts";
import type { GitHub, Repo } from "../github/types.ts";

export interface RetrainState {
  defaultBranch: string;
  head: string;
  /** The modelci root, `""` or ending in `/`. */
  root: string;
  model: Model;
  modelFile: string;
  pulls: RetrainPull[];
}

const QUERY = `query($owner: String!, $name: String!, $branch: String!, $config: String!, $model: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name target { oid } }
    config: object(expression: $config) { ... on Blob { text } }
    model: object(expression: $model) { ... on Blob { text } }
    pullRequests(headRefName: $branch, first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { number url state createdAt body headRefOid }
    }
  }
}`;

interface Answer {
  repository: {
    defaultBranchRef: { name: string; target: { oid: string } } | null;
    config: { text: string | null } | null;
    model: { text: string | null } | null;
    pullRequests: { nodes: RetrainPull[] };
  } | null;
}

function rootOf(text: string | null | undefined): string {
  if (text === null || text === undefined) return "";
  const parsed = configSchema.safeParse(parse(text) ?? {});
  if (!parsed.success)
    throw new UserError("modelci.yaml is invalid on the default branch; run `modelci validate`");
  const root = parsed.data.root.replace(/^\.\/?/, "").replace(/\/+$/, "");
  return root === "" ? "" : `${root}/`;
}

function readModel(text: string | null | undefined, file: string, name: string): Model {
  if (text === null || text === undefined)
    throw new UserError(`there is no model "${name}" on the default branch (${file})`);
  const parsed = modelSchema.safeParse(parse(text));
  if (!parsed.success)
    throw new UserError(`${file} is invalid on the default branch; run \`modelci validate\``);
  return parsed.data;
}

/** Reads the state of `model`'s retraining at the default branch `branch`. */
export async function readRetrainState(
  gh: GitHub,
  repo: Repo,
  branch: string,
  name: string,
): Promise<RetrainState> {
  const ask = (modelPath: string) =>
    gh.graphql<Answer>(QUERY, {
      owner: repo.owner,
      name: repo.repo,
      branch: retrainBranch(name),
      config: `${branch}:modelci.yaml`,
      model: `${branch}:${modelPath}`,
    });
  let answer = await ask(`models/${name}/model.yaml`);
  const root = rootOf(answer.repository?.config?.text);
  const modelFile = `${root}models/${name}/model.yaml`;
  if (root !== "") answer = await ask(modelFile);
  const repository = answer.repository;
  const ref = repository?.defaultBranchRef;
  if (repository === null || ref === null || ref === undefined)
    throw new UserError(`the repository has no default branch ${branch}`);
  return {
    defaultBranch: ref.name,
    head: ref.target.oid,
    root,
    model: readModel(repository.model?.text, modelFile, name),
    modelFile,
    pulls: repository.pullRequests.nodes,
  };
}
