/**
 * The server's Prometheus metrics (prom-client), in a registry of its own so that several servers
 * in one process (tests) keep separate counts. Latency buckets start at 100 µs: a loopback round
 * trip of an OIP request takes about 0.14 ms, so coarser buckets would hide the whole distribution.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

/** Every metric name the server exports besides prom-client's process metrics. */
export const METRIC_NAMES = [
  "modelci_inference_requests_total",
  "modelci_inference_request_duration_seconds",
  "modelci_inference_compute_duration_seconds",
  "modelci_model_ready",
  "modelci_traffic_weight",
  "modelci_model_load_failures_total",
  "modelci_model_reloads_total",
  "modelci_shadow_requests_total",
  "modelci_shadow_compute_duration_seconds",
  "modelci_input_log_rows_total",
  "modelci_input_log_dropped_total",
] as const;

export type ServeMetrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: "modelci_inference_requests_total",
      help: "Inference requests answered, by model, version and HTTP status code.",
      labelNames: ["model", "version", "code"] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: "modelci_inference_request_duration_seconds",
      help: "Time from a request's arrival to its answer, in seconds.",
      labelNames: ["model", "version"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    computeDuration: new Histogram({
      name: "modelci_inference_compute_duration_seconds",
      help: "Time spent in onnxruntime's session.run per request, in seconds.",
      labelNames: ["model", "version"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    ready: new Gauge({
      name: "modelci_model_ready",
      help: "1 when the model version is loaded and serving.",
      labelNames: ["model", "version"] as const,
      aggregator: "max",
      registers,
    }),
    weight: new Gauge({
      name: "modelci_traffic_weight",
      help: "The version's share of its model's traffic, in percent (0 for a shadow).",
      labelNames: ["model", "version"] as const,
      aggregator: "max",
      registers,
    }),
    loadFailures: new Counter({
      name: "modelci_model_load_failures_total",
      help: "Versions that failed to load or verify; the versions serving before kept serving.",
      labelNames: ["model", "version"] as const,
      registers,
    }),
    reloads: new Counter({
      name: "modelci_model_reloads_total",
      help: "Reloads of the deployment target, by outcome (swapped, unchanged, failed).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    shadowRequests: new Counter({
      name: "modelci_shadow_requests_total",
      help: "Copies of requests run on a shadow version, by outcome (ok, error); answers are discarded.",
      labelNames: ["model", "version", "outcome"] as const,
      registers,
    }),
    shadowDuration: new Histogram({
      name: "modelci_shadow_compute_duration_seconds",
      help: "Time a shadow version spent in session.run per request copy, in seconds.",
      labelNames: ["model", "version"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    logRows: new Counter({
      name: "modelci_input_log_rows_total",
      help: "Input rows written to the input log.",
      registers,
    }),
    logDropped: new Counter({
      name: "modelci_input_log_dropped_total",
      help: "Sampled input rows dropped because the input log's buffer was full (the disk is slower than traffic).",
      registers,
    }),
  };
}
