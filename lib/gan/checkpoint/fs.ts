// A tf.io IOHandler that keeps a checkpoint as <dir>/model.json + <dir>/weights.bin. tf.io.fileSystem lives in
// tfjs-node, which we do not ship (native build, and no Node backend is used), so this is the small Node-only
// equivalent. node:fs is imported on first use so that merely importing this module stays harmless in a bundle.
import * as tf from "@tensorflow/tfjs-core";
import { artifactsInfo, modelJsonFor, weightBuffer } from "./model-json";

const MODEL_JSON = "model.json";
const WEIGHTS = "weights.bin";

export function fileCheckpoint(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      const [fs, path] = await Promise.all([import("node:fs/promises"), import("node:path")]);
      const json = modelJsonFor(artifacts, WEIGHTS);
      const weights = weightBuffer(artifacts);
      await fs.mkdir(dir, { recursive: true });
      // Weights first, model.json last: a folder with a model.json is always complete, even after a crash mid-save.
      await writeAtomic(fs, path.join(dir, WEIGHTS), new Uint8Array(weights));
      await writeAtomic(fs, path.join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: artifactsInfo(json, weights.byteLength) };
    },
    async load() {
      const [fs, path] = await Promise.all([import("node:fs/promises"), import("node:path")]);
      const json = JSON.parse(await fs.readFile(path.join(dir, MODEL_JSON), "utf8")) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths).map(async (p) => {
            const bytes = await fs.readFile(path.join(dir, p));
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
          }),
        );
        return [tf.io.getWeightSpecs(manifest), buffers];
      });
    },
  };
}

async function writeAtomic(fs: typeof import("node:fs/promises"), file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}
