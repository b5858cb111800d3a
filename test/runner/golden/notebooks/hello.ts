/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope

// %% [markdown]
// # Hello, video GAN
// Train a tiny MoCoGAN on Moving MNIST (real digits bouncing in a 32×32 box) for a minute on any machine, and
// watch the samples improve. Every run of this notebook is recorded: hyperparameters, losses, samples, code.

// %% Configuration
// `config` records these on the run; override them with `--set key=value` or "Rerun with…".
const cfg = config({
  model: "mocogan",
  frames: 8,
  size: 32,
  width: 0.25, // channel-width multiplier: small enough to train on a CPU
  batchSize: 16,
  steps: 300,
  sampleEvery: 50,
  seed: 1,
});

// %% Data and model
const data = gan.createDataset("moving-mnist", { frames: cfg.frames, size: cfg.size, digits: 2 }, cfg.seed);
const model = gan.createModel(cfg.model, { frames: cfg.frames, size: cfg.size, channels: 1, width: cfg.width }, cfg.seed);
show(data.nextBatch(4)); // four real training videos

// %% Train
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

// %% Samples
show(gan.sample(model, 8, { seed: 7 }));
