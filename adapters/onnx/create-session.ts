/**
 * Opens an onnxruntime InferenceSession on CPU or CUDA. The onnxruntime module is a parameter:
 * the CLI passes `await import("onnxruntime-node")`, the GitHub Action the build it unpacked.
 */
import type * as OnnxRuntime from "onnxruntime-node";
import { UserError } from "../../core/errors.ts";

export type Ort = typeof OnnxRuntime;
export type Session = OnnxRuntime.InferenceSession;
export type Provider = "cpu" | "cuda";

export const PROVIDERS: readonly Provider[] = ["cpu", "cuda"];

export interface OpenedSession {
  session: Session;
  /** The provider the session runs on: `cpu` after a CUDA failure. */
  provider: Provider;
}

/**
 * A session for the model's bytes. With `cuda`, the session is created with
 * `executionProviders: ["cuda", "cpu"]`; when that throws (no CUDA build of onnxruntime, no GPU,
 * missing CUDA libraries), `warn` gets one line saying why and the session runs on CPU.
 */
export async function createSession(
  ort: Ort,
  path: string,
  bytes: Uint8Array,
  provider: Provider,
  warn: (message: string) => void,
): Promise<OpenedSession> {
  const options: OnnxRuntime.InferenceSession.SessionOptions = { graphOptimizationLevel: "all" };
  if (provider === "cuda") {
    // onnxruntime logs its own multi-line error when a provider library is missing; our warning says it once.
    ort.env.logLevel = "fatal";
    try {
      const session = await ort.InferenceSession.create(bytes, {
        ...options,
        executionProviders: ["cuda", "cpu"],
      });
      return { session, provider: "cuda" };
    } catch (error) {
      warn(
        `warning: --provider cuda: onnxruntime could not use CUDA for ${path} (${oneLine(error)}); running on CPU instead`,
      );
    }
  }
  try {
    const session = await ort.InferenceSession.create(bytes, { ...options, executionProviders: ["cpu"] });
    return { session, provider: "cpu" };
  } catch (error) {
    throw new UserError(`${path}: onnxruntime cannot load the model: ${oneLine(error)}`, { cause: error });
  }
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** An onnxruntime error's message on one line, without its terminal colour codes. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(ANSI_COLOUR, "")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}
