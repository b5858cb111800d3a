// The trained-checkpoint script on a real example notebook: experiments/mocogan.ts with its defaults (16 frames of
// 32×32, as the video metrics need) but half its width, one step of batch 2, scored at n = 8. The script's
// behaviour on a controlled notebook, and gan.pretrained's, are tested in test/gan/pretrained.test.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as gan from "@/lib/gan";
import { pretrain } from "@/scripts/train-pretrained";

let dir: string;
beforeAll(async () => {
  await gan.initBackend("cpu");
  dir = await mkdtemp(path.join(tmpdir(), "zoetrope-pretrain-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("scripts/train-pretrained on experiments/mocogan.ts", () => {
  it("trains the notebook's model, scores the stored weights and writes a folder gan.pretrained loads", async () => {
    const out = path.join(dir, "mocogan");
    const output: string[] = [];
    const { metrics } = await pretrain({
      kind: "mocogan",
      out,
      minutes: 1,
      steps: 1,
      overrides: { width: gan.tinyWidth, batchSize: 2, sampleEvery: 0 },
      n: 8,
      write: (t) => void output.push(t),
    });
    expect(metrics).toMatchObject({ kind: "mocogan", notebook: path.join("experiments", "mocogan.ts"), steps: 1, stoppedBy: "budget" });
    expect(metrics.hparams).toMatchObject({ minutes: 1, steps: 1, evaluateN: 0, width: gan.tinyWidth });
    expect(metrics.config).toMatchObject({ frames: 16, size: 32 }); // the notebook's own defaults
    const e = metrics.evaluation!;
    expect(e).toMatchObject({ n: 8, seed: 0 });
    for (const v of [e.fvd_mm, e.fid_mm, e.floor.fvd_mm, e.untrained!.fvd_mm]) expect(Number.isFinite(v)).toBe(true);
    expect(output.join("")).toContain(`FVD-MM ${e.fvd_mm.toFixed(1)}`);

    const p = await gan.pretrained("mocogan", { from: out });
    try {
      expect(p.metrics).toEqual(metrics);
      const video = gan.sample(p.model, 2, { seed: 1 });
      expect(video.shape).toEqual([2, 16, 32, 32, 1]);
      video.dispose();
    } finally {
      p.dispose();
    }
  }, 120_000);
});
