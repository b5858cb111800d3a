// %% [markdown]
// # Hello, video GAN
// Train a tiny VGAN (Vondrick et al. 2016: a moving foreground over a still background) on Moving MNIST, real
// digits bouncing in a 32×32 box, for a minute or two on any machine, and watch the samples improve. Every run of this notebook is recorded: hyperparameters, losses, samples, code.

// %% Configuration
// `config` records these on the run; override them with `--set key=value` or "Rerun with…".
const cfg = config({
  model: "vgan" as (typeof gan.modelKinds)[number], // or "tgan", "mocogan"
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
// The trainer's optimisers, EMA weights and step count live beside the model: rerunning Train continues from them
// instead of leaving a second set behind, and rerunning this cell starts over.
const state = gan.createTrainState(model, {
  generator: { learningRate: cfg.learningRate },
  discriminator: { learningRate: cfg.learningRate },
  ema: 0.98, // samples from an average of recent generator weights: steadier than the raw ones
});
const real = data.nextBatch(4); // four real training videos
await show(real);
real.dispose(); // tensors live until disposed, and cells can be rerun

// %% Train
const bar = progress(cfg.steps, "training");
bar.update(state.step);
const result = await gan.train(model, data, { // a cell's last bare expression is shown: naming it keeps it quiet
  steps: cfg.steps, // in all: a rerun trains on only if `steps` was raised
  batchSize: cfg.batchSize,
  seed: cfg.seed,
  state,
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
show.md(result.aborted ? `Interrupted at step ${result.step}.` : `Trained to step ${result.step}.`);

// %% Samples
const videos = gan.sample(model, 8, { seed: 7 });
await show(videos);
videos.dispose();
