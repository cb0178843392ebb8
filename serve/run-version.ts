/** Runs decoded inputs on a loaded version and turns onnxruntime's outputs into OIP output tensors. */
import { type Ort, oneLine } from "../adapters/onnx/create-session.ts";
import { toOipDatatype } from "../core/serve/datatypes.ts";
import { RequestError } from "../core/serve/request-error.ts";
import type { DecodedInput } from "../core/serve/validate-infer-request.ts";
import type { LoadedVersion } from "./load-version.ts";

export interface OipTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}

type Feeds = Record<string, InstanceType<Ort["Tensor"]>>;
type Fetched = Awaited<ReturnType<LoadedVersion["session"]["run"]>>;

export function toFeeds(ort: Ort, inputs: readonly DecodedInput[]): Feeds {
  const feeds: Feeds = {};
  for (const input of inputs) {
    feeds[input.name] = new ort.Tensor(input.type as "float32", input.data as Float32Array, input.dims);
  }
  return feeds;
}

/** session.run, with an onnxruntime failure as a 400 naming the version (the input passed our checks, not the graph's). */
export async function runSession(
  loaded: LoadedVersion,
  feeds: Feeds,
  outputs: string[] | undefined,
): Promise<{ result: Fetched; seconds: number }> {
  const began = process.hrtime.bigint();
  try {
    const result =
      outputs === undefined ? await loaded.session.run(feeds) : await loaded.session.run(feeds, outputs);
    return { result, seconds: Number(process.hrtime.bigint() - began) / 1e9 };
  } catch (error) {
    throw new RequestError(
      400,
      `${loaded.model} v${loaded.version} could not run this input: ${oneLine(error)}`,
    );
  }
}

/** Every fetched output, in the model's output order, as an OIP tensor. */
export function toOipOutputs(loaded: LoadedVersion, result: Fetched): OipTensor[] {
  const tensors: OipTensor[] = [];
  for (const declared of loaded.info.outputs) {
    const value = result[declared.name];
    if (value === undefined) continue;
    const data = value.data as ArrayLike<unknown>;
    const list =
      data instanceof BigInt64Array || data instanceof BigUint64Array
        ? Array.from(data, (n) => Number(n))
        : Array.from(data);
    tensors.push({
      name: declared.name,
      datatype: toOipDatatype(value.type) ?? value.type.toUpperCase(),
      shape: [...value.dims],
      data: value.type === "bool" ? list.map(Boolean) : list,
    });
  }
  return tensors;
}
