// Every model, trained by the real loop on each Node training backend: the number of live tensors after step 2
// equals that after step 50 (optimiser slots exist from step 1; anything that grows after that is a leak).
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "@/lib/gan/train";
import { modelKinds, numTensors, tinyData, tinyModel, trainingBackends, useBackend } from "./train-helpers";

describe.each(trainingBackends)("on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  describe.each(modelKinds)("%s", (kind) => {
    it("holds the same number of tensors at step 2 and step 50, and none after dispose", async () => {
      const before = numTensors();
      const model = tinyModel(kind);
      const data = await tinyData();
      const counts = new Map<number, number>();
      const { state } = await train(model, data, {
        steps: 50,
        batchSize: 2,
        seed: 3,
        ema: 0.99,
        sampleEvery: 25,
        onSample: (_, video) => video.dispose(),
        onStep: (m) => void counts.set(m.step, numTensors()),
      });
      expect(counts.get(50)).toBe(counts.get(2));
      state.dispose();
      model.dispose();
      expect(numTensors()).toBe(before);
    }, 180_000);
  });
});
