/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// The Train cell of experiments/hello.ts.
const bar = progress(cfg.steps, "training");
await gan.train(model, data, {
  steps: cfg.steps,
  batchSize: cfg.batchSize,
  seed: cfg.seed,
  signal,
  sampleEvery: cfg.sampleEvery,
  onStep: (m) => {
    log(m, m.step);
    bar.update(m.step + 1);
  },
  onSample: async (step, video) => {
    await sample("samples", video, step);
    video.dispose();
  },
});
