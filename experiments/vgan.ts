// %% [markdown]
// # VGAN: a moving foreground over a still background
// **Generating Videos with Scene Dynamics**, C. Vondrick, H. Pirsiavash and A. Torralba, NIPS 2016
// ([arXiv:1609.02612](https://arxiv.org/abs/1609.02612)). Sizes, initialisation and the mask penalty follow the
// authors' Torch code.
//
// - **Generator, in two streams** from one latent z. The *foreground* stream, 3-D transposed convolutions over space
//   and time, makes a video f and a mask m ∈ [0, 1] per pixel and frame. The *background* stream, 2-D transposed
//   convolutions, makes one still image b. The video is m ⊙ f + (1 − m) ⊙ b: where the mask is on, the foreground
//   shows; elsewhere the background does, the same in every frame.
// - **Discriminator.** 3-D convolutions over the whole clip down to one real/fake logit.
// - **Loss.** The standard GAN loss (sigmoid cross-entropy, non-saturating for the generator), plus λ·mean|m|, an L1
//   penalty that keeps the mask sparse (λ = 0.1): the background stream has to explain whatever does not move.
// - **What is special.** The scene is split into what moves and what stays without any label saying which is
//   which, and the split is visible: the Results cell shows the mask, the foreground and the background of each
//   sample.
//
// Here it learns Moving MNIST, two digits bouncing in a box, at a CPU-sized width for a few minutes, with a recipe
// (Configuration) that departs from the paper where the paper's settings do not learn at this size. The background is plain black, so a good
// mask would cover the digits and little else; this early, the foreground stream still paints most of the frame.

// %% Configuration
// Every value is recorded on the run; override any of them with `--set key=value` (or "Rerun with…"). The defaults
// are a recipe that learns in minutes on a CPU; the paper's own settings are one line away:
//   --set loss=bce --set spectralNorm=false --set dBatchNorm=true --set dVideoHalfRes=false --set lrG=2e-4
//   --set lrD=2e-4 --set beta1=0.5 --set beta2=0.999 --set emaHalfLifeImages=0 --set lrDecay=0 --set mbstdGroup=0
//   --set imageFrames=0
const cfg = config({
  // Data: Moving MNIST.
  frames: 16, // clip length (the paper's is 32). Time doubles in the last layers: a power of two is the natural choice
  size: 32, // frame side: 4·2^k (8, 16, 32, 64). The paper uses 64; 32 is 4× cheaper
  numDigits: 2, // digits per clip: 2 is the standard dataset, 1 is an easier start
  // Model (the paper's sizes unless noted).
  width: 1 / 8, // channel-width multiplier: 1 is the paper's 512→64 channels; 1/8 trains on a CPU
  zDim: 100, // size of the latent z that feeds both streams
  maskL1: 0.1, // λ, the weight of the mask's sparsity penalty: 0 lets the foreground take over the whole frame
  // Hinge loss with spectral norm in D (Miyato et al. 2018) instead of the paper's cross-entropy: with the paper's
  // loss D wins within a hundred steps at this size and the generator stops learning.
  loss: "hinge" as typeof gan.defaultConfigs.vgan.loss, // "hinge", "bce" (the paper) or "wgan"
  spectralNorm: true, // bounds how fast D can sharpen (the paper: false)
  // Batch norm in D normalises the real and the fake batch each by its own statistics, which hides from D what sets
  // a whole batch apart (grey samples against black backgrounds); spectral norm replaces it (the paper: true).
  dBatchNorm: false,
  r1Gamma: 0, // R1 gradient penalty on real clips (Mescheder et al. 2018), 0 = off
  // D judges clips 2×2 average-pooled (DVD-GAN): motion reads as well at 16×16, and its 3-D convolutions get four
  // times cheaper (the paper: false).
  dVideoHalfRes: true,
  // D also sees how much each group of 4 clips differs (ProGAN's minibatch standard deviation), so a generator that
  // gives many latents one clip is caught.
  mbstdGroup: 4, // 0: off (the paper)
  // A second discriminator judges single frames, one picked from each clip (MoCoGAN's image discriminator, DVD-GAN's
  // spatial one), four times as wide as the video discriminator: it asks every frame to look like a Moving MNIST frame,
  // where the video discriminator at this width spends what it has on motion. With it 8 minutes ended at FVD-MM
  // 69.1 and 76.8 (seeds 2 and 1), without it 87.9 (seed 1) (docs/results.md), for 15–25% more time a step.
  imageFrames: 1, // frames per clip it judges (0: none, the paper)
  imageDWidth: 4, // its channels as a multiple of width
  // Optimisation: Adam.
  batchSize: 16,
  // Two time-scale update rule (Heusel et al. 2017): D learns faster than G, and β1 = 0 keeps Adam from carrying
  // stale momentum across the moving target (SAGAN, BigGAN). SAGAN's 1e-4 / 4e-4 is for runs of 100k steps: Adam
  // moves each weight about one learning rate per step, and in the few hundred steps of a CPU budget G at 1e-4 is
  // still grey texture where at 5e-4 it draws dark frames with digit-shaped strokes. The paper: 2e-4 for both, β = (0.5, 0.999).
  lrG: 5e-4,
  lrD: 1e-3,
  beta1: 0,
  beta2: 0.9,
  nCritic: 1, // discriminator updates per generator update
  // Samples come from an average of G's weights with a half-life in images, ramped up with the images seen
  // (StyleGAN2-ADA): a fixed 0.999 would still mostly be the random initialisation after a short run. 0: off.
  emaHalfLifeImages: 10_000,
  // The half-life is at most this share of the images seen so far. StyleGAN2-ADA's 0.05 is for runs of millions of
  // images; in a few minutes the samples swing from one minute to the next, and a longer average evens that out.
  emaRampUp: 0.25,
  // Both learning rates fall linearly to 0 over this last share of the training time (0: constant), so the run ends
  // on settled weights rather than wherever the chase between G and D stood when time ran out.
  lrDecay: 0.5,
  minutes: 9, // training time: with the evaluation and the results below the notebook ends within 10 minutes
  steps: 0, // stop at this many steps in all instead (0: only the time budget counts)
  sampleEvery: 50, // record a sample GIF every n steps (0: never)
  checkpointEvery: 200, // save model, optimisers and EMA every n steps and at the end (0: never)
  evaluateN: 128, // clips per set for FVD-MM at the end (0: no evaluation; 512 for figures to publish)
  evaluateEveryMinutes: 0, // FVD-MM also every so many minutes of training (0: only at the end)
  seed: 1, // weights, data and every random draw of training
});

// %% Data
const dataOptions = { frames: cfg.frames, size: cfg.size, numDigits: cfg.numDigits };
const data = await gan.createDataset("moving-mnist", dataOptions, cfg.seed);
const real = data.nextBatch(8); // the caller owns (and frees) every tensor it is given
show.md(`Moving MNIST: ${cfg.numDigits} digit(s), ${cfg.frames} frames of ${cfg.size}×${cfg.size}, values in [-1, 1].`);
await show(real);
await show(await gan.videoToFilmstrip(real, { scale: 2 })); // one row per clip, time left to right
real.dispose();

// %% Model
const model = gan.createModel(
  "vgan",
  {
    frames: cfg.frames,
    size: cfg.size,
    channels: 1,
    width: cfg.width,
    zDim: cfg.zDim,
    maskL1: cfg.maskL1,
    loss: cfg.loss,
    spectralNorm: cfg.spectralNorm,
    dBatchNorm: cfg.dBatchNorm,
    r1Gamma: cfg.r1Gamma,
    dVideoHalfRes: cfg.dVideoHalfRes,
    mbstdGroup: cfg.mbstdGroup,
    imageFrames: cfg.imageFrames,
    imageDWidth: cfg.imageDWidth,
  },
  cfg.seed,
);
// The trainer's state (both optimisers, the generator's EMA weights, the step count) lives beside the model: rerunning
// the Train cell continues from it instead of leaving a second set of optimisers behind, and checkpoints save it.
const state = gan.createTrainState(model, {
  generator: { learningRate: cfg.lrG, beta1: cfg.beta1, beta2: cfg.beta2 },
  discriminator: { learningRate: cfg.lrD, beta1: cfg.beta1, beta2: cfg.beta2 },
  nCritic: cfg.nCritic,
  ema: cfg.emaHalfLifeImages > 0 && { halfLifeImages: cfg.emaHalfLifeImages, rampUp: cfg.emaRampUp },
});

// Trainable parameters by part (batch-norm statistics are state, not parameters). The first matching prefix wins.
const parts: [prefix: string, network: string, part: string][] = [
  ["g.video", "G", "foreground: 3-D transposed convs"],
  ["g.foreground", "G", "foreground: video head f"],
  ["g.mask", "G", "foreground: mask head m"],
  ["g.static", "G", "background: 2-D transposed convs"],
  ["g.background", "G", "background: image head b"],
  ["d.image", "D", "frame discriminator: patches of one frame"],
  ["d.", "D", "3-D conv discriminator"],
];
const paramRows = new Map<string, { network: string; part: string; parameters: number }>();
for (const [name, v] of model.stateVars()) {
  if (!v.trainable) continue;
  const [, network, part] = parts.find(([prefix]) => name.startsWith(prefix)) ?? ["", name[0].toUpperCase(), name];
  const row = paramRows.get(part) ?? { network, part, parameters: 0 };
  row.parameters += v.size;
  paramRows.set(part, row);
}
const total = (vars: { size: number }[]) => vars.reduce((n, v) => n + v.size, 0);
const [gParams, dParams] = [total(model.generatorVars), total(model.discriminatorVars)];
show.md(`**G** ${gParams.toLocaleString("en")} parameters, **D** ${dParams.toLocaleString("en")}`);
await show([...paramRows.values()]);

// %% Train
// One call: a progress bar, every step's metrics logged (losses, D's outputs, the mask penalty, gradient norms, step time), a sample GIF every `sampleEvery` steps,
// checkpoints every `checkpointEvery` steps and at the end, FVD-MM at n = `evaluateN` every `evaluateEveryMinutes`
// and at the end. It stops after `minutes` of training or at `steps` in all (0: no limit), whichever comes first, or when you
// interrupt. Rerunning this cell trains on from where it stopped; rerun the Model cell to start from fresh weights.
const result = await fit(model, data, {
  steps: cfg.steps || undefined,
  minutes: cfg.minutes || undefined,
  batchSize: cfg.batchSize,
  seed: cfg.seed,
  state,
  sampleEvery: cfg.sampleEvery,
  checkpointEvery: cfg.checkpointEvery,
  evaluateN: cfg.evaluateN,
  evaluateEveryMinutes: cfg.evaluateN > 0 ? cfg.evaluateEveryMinutes : 0,
  evaluateAtEnd: cfg.evaluateN > 0,
  lrDecay: cfg.lrDecay,
});

// %% Results
// Samples from the EMA generator: 16 clips as a looping grid and as a filmstrip.
const fakes = gan.sample(model, 16, { seed: 7 });
await show(fakes);
await show(await gan.videoToFilmstrip(fakes, { scale: 2 }));

// The samples against held-out data on a few cheap statistics.
const heldOut = data.nextBatch(64);
const [realStats, fakeStats] = [await gan.statsOf(heldOut), await gan.statsOf(fakes)];
const gap = gan.statsGap(realStats, fakeStats);
// Variety: each pixel's standard deviation across clips, averaged. Near 0 when every latent gives the same clip.
const spread = (v: typeof fakes) => tf.tidy(() => tf.mean(tf.sqrt(tf.moments(v, 0).variance)).dataSync()[0]);
const [realSpread, fakeSpread] = [spread(heldOut), spread(fakes)];
heldOut.dispose();
await show([
  { statistic: "share of lit pixels", real: realStats.litFraction, generated: fakeStats.litFraction },
  { statistic: "mean intensity", real: realStats.meanIntensity, generated: fakeStats.meanIntensity },
  { statistic: "mean |frame change|", real: realStats.temporalDiff, generated: fakeStats.temporalDiff },
  { statistic: "variety across clips", real: realSpread, generated: fakeSpread },
  { statistic: "intensity histogram distance (EMD)", real: 0, generated: gap.histEmd },
]);
// For comparing runs: eval_variety is the samples' variety as a share of the data's (1: as varied).
log({ eval_hist_emd: gap.histEmd, eval_motion_gap: gap.temporalDiff, eval_variety: fakeSpread / realSpread }, result.step);
fakes.dispose();

// The two streams of four samples. model.forward returns every stream; sample() swaps the EMA weights in by
// itself, here it is done by hand.
const latent = model.sampleLatent(4, 7);
const forward = () => model.forward(latent);
const streams = state.ema ? state.ema.withAveraged(forward) : forward();
tf.dispose(Object.values(latent));
// The four streams as rows of a filmstrip (per sample: video, foreground, mask, background) and side by side in a
// looping grid.
const { streamRows, sideBySide } = tf.tidy(() => {
  const panels = [
    streams.video,
    streams.foreground,
    tf.sub(tf.mul(streams.mask, 2), 1), // [0, 1] → [-1, 1]: white where the foreground shows
    tf.tile(tf.expandDims(streams.background, 1), [1, cfg.frames, 1, 1, 1]), // the still image as a clip
  ];
  const [n, t, h, w, c] = streams.video.shape;
  return {
    streamRows: tf.reshape(tf.stack(panels, 1), [4 * n, t, h, w, c]) as typeof streams.video,
    sideBySide: tf.concat(panels, 3) as typeof streams.video, // [n, T, H, 4·W, C]
  };
});
const maskMean = tf.tidy(() => tf.mean(streams.mask).dataSync()[0]);
tf.dispose(Object.values(streams));
show.md(
  `**Video** = m ⊙ f + (1 − m) ⊙ b, **foreground** f, **mask** m (white: foreground) and **background** b of each ` +
    `sample. On average ${(100 * maskMean).toFixed(1)}% of each frame comes from the foreground (the mask's mean).`,
);
await show(await gan.videoToFilmstrip(streamRows, { scale: 2, maxFrames: 8 }));
await show(sideBySide);
log({ eval_mask_mean: maskMean }, result.step);
tf.dispose([streamRows, sideBySide]);

// %% Start from the trained model
// A VGAN trained with this notebook for longer (lib/gan/pretrained/vgan, whose metrics.json records the settings it
// was trained with; `npm run pretrain -- --model vgan` remakes it with today's defaults): moving digits without
// waiting. Sample it, or fine-tune it: `await fit(trained.model, data, { minutes: 2 })` continues from its weights,
// EMA and optimisers.
const trained = await gan.pretrained("vgan");
show.md(`${trained.summary}:`); // steps, minutes, backend and FVD-MM, from its metrics.json
const trainedSamples = gan.sample(trained.model, 16, { seed: 7 });
await show(trainedSamples);
await show(await gan.videoToFilmstrip(trainedSamples, { scale: 2 }));
trainedSamples.dispose();
trained.dispose();

// %% [markdown]
// ## What to try next
// - **The mask penalty:** `zoetrope sweep experiments/vgan.ts --grid "maskL1=0,0.1,1"`. Without it the foreground
//   stream is free to paint the whole frame and the background stream goes unused; too much of it and the digits
//   fade into a still background.
// - **The paper's setting:** the `--set` line above the Configuration, and `--set width=1 --set size=64
//   --set frames=32` on a GPU (`--backend webgpu`).
// - **Stability:** `--set r1Gamma=1`.
// - **A real background:** Moving MNIST's is black, which the mask alone can explain. A video of your own with a
//   textured, static background (`gan.ClipSampler`) shows what the background stream is for.
// - **Continue a run:** `restore(model, runId)` in a new cell loads the latest checkpoint into the model, and
//   `fit(model, data, { minutes: 5 })` then continues (so does `gan.train` given `state`).
