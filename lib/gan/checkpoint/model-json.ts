// The model.json + weights file layout tf.io uses everywhere (tf.io.http, tfjs-node's file://), shared by our file
// and tracker handlers so a checkpoint saved by one loads with the other or with tf.io.browserHTTPRequest.
import * as tf from "@tensorflow/tfjs-core";

/** model.json for artifacts whose weights live in one file at `weightsPath` (relative to model.json). */
export function modelJsonFor(artifacts: tf.io.ModelArtifacts, weightsPath: string): tf.io.ModelJSON {
  if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error("binary model topologies are not supported");
  return {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
  };
}

/** The one weights buffer, whatever form (single or sharded) the artifacts hold it in. */
export function weightBuffer(artifacts: tf.io.ModelArtifacts): ArrayBuffer {
  return artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
}

/** Summary tf.io expects back from save(). */
export function artifactsInfo(json: tf.io.ModelJSON, weightBytes: number): tf.io.ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: "JSON",
    modelTopologyBytes: JSON.stringify(json.modelTopology ?? {}).length,
    weightSpecsBytes: JSON.stringify(json.weightsManifest).length,
    weightDataBytes: weightBytes,
  };
}
