// %% [markdown]
// # Hello, video GAN
// Train a small MoCoGAN (Tulyakov et al. 2018: one image generator draws every frame from a fixed content code and a
// motion code that a recurrent network moves along) on Moving MNIST, real digits bouncing in a 32×32 box, for a
// minute and a half on any machine, and watch the samples go from grey noise to bright strokes that move on a dark
// background. Every run of this notebook is recorded: hyperparameters, losses, samples, code.

// %% Configuration
// `config` records these on the run; override them with `--set key=value` or "Rerun with…".
const cfg = config({
  // MoCoGAN's frame discriminator makes it draw strokes soonest: in these 90 seconds VGAN and TGAN still draw grey
  // blobs. experiments/mocogan.ts explains the model; tgan.ts and vgan.ts the other two.
  model: "mocogan" as (typeof gan.modelKinds)[number], // or "tgan", "vgan"
  frames: 8,
  size: 32,
  digits: 2, // digits per clip: 2 is the standard Moving MNIST, 1 an easier start
  width: 1 / 8, // channel-width multiplier: 1 is the paper's width; 1/8 trains on a CPU (1/16 draws dimmer strokes)
  batchSize: 16,
  // A recipe that learns fast at this size: hinge loss with spectral norm in D (no batch norm there), D judging
  // clips at half resolution, D learning twice as fast as G, Adam with β1 = 0.
  lrG: 5e-4,
  lrD: 1e-3,
  // Frames of each clip that a second, four times wider D judges on its own (MoCoGAN's image discriminator). 0: one
  // for MoCoGAN, none for TGAN and VGAN (it takes them further in their examples' 9 minutes, but in this
  // notebook's 90 seconds its extra cost per step did not pay for them).
  imageFrames: 0,
  minutes: 1.5, // training time: the notebook ends within two minutes
  steps: 0, // or stop at this many steps (0: only the time budget counts)
  sampleEvery: 50,
  seed: 1,
});

// %% Data and model
const data = await gan.createDataset("moving-mnist", { frames: cfg.frames, size: cfg.size, numDigits: cfg.digits }, cfg.seed);
const recipe = { loss: "hinge" as const, spectralNorm: true, dBatchNorm: false, dVideoHalfRes: true };
// VGAN's and TGAN's D also see how much each group of 4 clips differs, so one clip for every latent is caught.
const variety = cfg.model === "mocogan" ? {} : { mbstdGroup: 4 };
// MoCoGAN's image discriminator is part of the model: it judges at least one frame.
const frameD = { imageFrames: cfg.model === "mocogan" ? Math.max(1, cfg.imageFrames) : cfg.imageFrames, imageDWidth: 4 };
const modelConfig = { frames: cfg.frames, size: cfg.size, channels: 1, width: cfg.width, ...recipe, ...variety, ...frameD };
const model = gan.createModel(cfg.model, modelConfig, cfg.seed);
// The trainer's optimisers, EMA weights and step count live beside the model: rerunning Train continues from them
// instead of leaving a second set behind, and rerunning this cell starts over.
const state = gan.createTrainState(model, {
  generator: { learningRate: cfg.lrG, beta1: 0, beta2: 0.9 },
  discriminator: { learningRate: cfg.lrD, beta1: 0, beta2: 0.9 },
  ema: { halfLifeImages: 2_000, rampUp: 0.25 }, // samples from an average of recent generator weights: steadier
});
const real = data.nextBatch(4); // four real training videos
await show(real);
real.dispose(); // tensors live until disposed, and cells can be rerun

// %% Train
// A progress bar, every step's losses logged, a sample GIF every `sampleEvery` steps, a checkpoint at the end.
// The learning rates fall to zero over the second half (lrDecay), so the last samples are from settled weights.
const fitOptions = { minutes: cfg.minutes, steps: cfg.steps || undefined, batchSize: cfg.batchSize, seed: cfg.seed, sampleEvery: cfg.sampleEvery };
await fit(model, data, { ...fitOptions, state, lrDecay: 0.5 });

// %% Samples
const videos = gan.sample(model, 8, { seed: 7 });
await show(videos);
videos.dispose();
