// %% [markdown]
// # Hello, video GAN
// Train a tiny VGAN (Vondrick et al. 2016: a moving foreground over a still background) on Moving MNIST, real
// digits bouncing in a 32×32 box, for a minute or two on any machine, and watch the samples improve. Every run of this notebook is recorded: hyperparameters, losses, samples, code.

// %% Configuration
// `config` records these on the run; override them with `--set key=value` or "Rerun with…".
const cfg = config({
  model: "vgan",
  frames: 8,
  size: 32,
  width: 1 / 16, // channel-width multiplier: 1 is the paper's width; 1/16 trains on a CPU
  batchSize: 8,
  learningRate: 1e-3, // higher than the paper's 2e-4: a tiny model in few steps
  steps: 300,
  sampleEvery: 50,
  seed: 1,
});

// %% Data and model
const data = await gan.createDataset("moving-mnist", { frames: cfg.frames, size: cfg.size, numDigits: 2 }, cfg.seed);
const model = gan.createModel(cfg.model, { frames: cfg.frames, size: cfg.size, channels: 1, width: cfg.width }, cfg.seed);
show(data.nextBatch(4)); // four real training videos

// %% Train
const bar = progress(cfg.steps, "training");
const { state } = await gan.train(model, data, {
  steps: cfg.steps,
  batchSize: cfg.batchSize,
  seed: cfg.seed,
  generator: { learningRate: cfg.learningRate },
  discriminator: { learningRate: cfg.learningRate },
  ema: 0.98, // samples from an average of recent generator weights: steadier than the raw ones
  signal,
  sampleEvery: cfg.sampleEvery,
  onStep: ({ step, ...metrics }) => {
    log(metrics, step); // losses, D's outputs, gradient norms and step time, at the number of steps done
    bar.update(step);
  },
  onSample: async (step, video) => {
    await sample("samples", video, step);
    video.dispose();
  },
});

// %% Samples
show(gan.sample(model, 8, { seed: 7 }));
