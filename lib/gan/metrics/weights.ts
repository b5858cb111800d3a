// The metric networks' weights as tf.io artifacts (model.json + weights.bin), like checkpoints: saved by
// scripts/train-fvd-classifier.ts into lib/gan/metrics/weights/ (checked in), copied to public/ by
// scripts/build-kernel.ts so the app serves them, and loaded from the file in Node or the URL in a browser.
import * as tf from "@tensorflow/tfjs-core";
import { fileCheckpoint } from "../checkpoint/fs";
import { toFloat16 } from "../checkpoint/float16";
import { isNode, isUrl } from "../checkpoint/source";
import { buildMetricNets, defaultClassifierConfig, type ClassifierConfig, type MetricNets } from "./classifier";

export { toFloat16 } from "../checkpoint/float16";

export const METRICS_FORMAT = "zoetrope-video-metrics";
/** Where the checked-in weights live, relative to the repository root (Node loads them from here). */
export const METRIC_WEIGHTS_PATH = "lib/gan/metrics/weights";
/** Where the app serves them (scripts/build-kernel.ts copies them there). */
export const METRIC_WEIGHTS_URL = "/assets/generated/video-metrics/model.json";

/** What model.json records besides the tensors: the architecture and how the weights were obtained. */
export interface MetricNetsMeta {
  config: ClassifierConfig;
  training?: Record<string, unknown>;
}

/**
 * The networks as artifacts. Weights are stored as float16 (tf.io's own "float16" quantization, which every tf.io
 * loader expands back to float32): half the bytes (~1.1 MB instead of 2.1 MB) for a relative rounding of 2⁻¹¹, far
 * below what moves a Fréchet distance; and the metric is defined by the stored weights, so it is exact for everyone.
 */
export async function metricNetsArtifacts(nets: MetricNets, training?: Record<string, unknown>): Promise<tf.io.ModelArtifacts> {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint16Array[] = [];
  for (const [name, v] of nets.store.entries()) {
    parts.push(toFloat16(await v.data()));
    specs.push({ name, shape: v.shape, dtype: "float32", quantization: { dtype: "float16" } });
  }
  const data = new Uint16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  const meta: MetricNetsMeta = { config: nets.config, training };
  return {
    format: METRICS_FORMAT,
    generatedBy: "zoetrope",
    modelTopology: { config: nets.config },
    weightSpecs: specs,
    weightData: data.buffer,
    userDefinedMetadata: { zoetrope: JSON.parse(JSON.stringify(meta)) },
  };
}

/** Where weights come from: an IOHandler, a folder (Node) or a model.json URL; default: the checked-in ones. */
export type MetricWeightsSource = tf.io.IOHandler | string;

function handlerFor(source?: MetricWeightsSource): tf.io.IOHandler {
  if (source && typeof source !== "string") return source;
  const where = source ?? (isNode() ? METRIC_WEIGHTS_PATH : METRIC_WEIGHTS_URL);
  return isUrl(where) ? tf.io.http(where) : fileCheckpoint(where);
}

/** Builds the networks from the saved config and loads their weights. The caller disposes them. */
export async function loadMetricNets(source?: MetricWeightsSource): Promise<{ nets: MetricNets; meta: MetricNetsMeta }> {
  const artifacts = await handlerFor(source).load!();
  const meta = (artifacts.userDefinedMetadata as { zoetrope?: MetricNetsMeta } | undefined)?.zoetrope;
  if (artifacts.format !== METRICS_FORMAT || !meta) throw new Error(`not ${METRICS_FORMAT} weights (format ${artifacts.format})`);
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new Error("video-metric weights are missing");
  const nets = buildMetricNets({ ...defaultClassifierConfig, ...meta.config });
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  try {
    for (const [name, v] of nets.store.entries()) {
      const t = tensors[name];
      if (!t || !tf.util.arraysEqual(t.shape, v.shape)) throw new Error(`video-metric weights: ${name} missing or misshapen`);
      v.assign(t);
    }
  } catch (e) {
    nets.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { nets, meta };
}
