// %% [markdown]
// # MoCoGAN: motion and content, decomposed
// **MoCoGAN: Decomposing Motion and Content for Video Generation**, S. Tulyakov, M.-Y. Liu, X. Yang and J. Kautz,
// CVPR 2018 ([arXiv:1707.04993](https://arxiv.org/abs/1707.04993)). Layer sizes follow the authors' PyTorch code.
//
// - **Generator.** A video is a path in latent space. Its *content* code z_C is drawn once and held for the whole
//   clip (which digits, how they are drawn). Its *motion* codes z_M⁽¹⁾…z_M⁽ᵀ⁾ come from a recurrent network (a GRU)
//   fed fresh noise ε⁽ᵗ⁾ at every step. One 2-D image generator renders frame t from [z_C, z_M⁽ᵗ⁾]: frames share
//   what they show and differ only in how it moves.
// - **Two discriminators.** An *image* discriminator D_I judges single frames picked at random (patch logits:
//   is each part of this frame realistic?), and a *video* discriminator D_V of 3-D convolutions judges whole clips
//   (is this motion realistic?).
// - **Loss.** The standard GAN loss (sigmoid cross-entropy, non-saturating for the generator) of each
//   discriminator, summed: D_I makes frames sharp, D_V makes them move coherently.
// - **What is special.** The split is an interface: hold z_C and redraw the motion noise to get the same digits
//   moving differently, or hold the motion and change the content. And since motion is recurrent, the GRU can run
//   longer than the clips it was trained on.
//
// Here it learns Moving MNIST, two digits bouncing in a box, at a CPU-sized width for a few minutes, where the paper
// trains a full-width model for far longer. The recipe (Configuration) departs from the paper where the paper's
// settings do not learn at this size; each departure says why, and the paper's settings are one `--set` away.

// %% Configuration
// Every value is recorded on the run; override any of them with `--set key=value` (or "Rerun with…"). The defaults
// are a recipe that learns in minutes on a CPU; the paper's own settings are one line away:
//   --set loss=bce --set spectralNorm=false --set dBatchNorm=true --set dVideoHalfRes=false --set lrG=2e-4
//   --set lrD=2e-4 --set beta1=0.5 --set beta2=0.999 --set emaHalfLifeImages=0 --set lrDecay=0 --set outputBias=false
//   --set imageDWidth=1
const cfg = config({
  // Data: Moving MNIST.
  frames: 16, // training clip length (the paper's 16); D_V sees clips of exactly this length
  size: 32, // frame side: 4·2^k (8, 16, 32, 64). The paper uses 64; 32 is 4× cheaper
  numDigits: 2, // digits per clip: 2 is the standard dataset, 1 is an easier start
  // Model (the paper's sizes unless noted).
  width: 1 / 8, // channel-width multiplier: 1 is the paper's 64 base channels; 1/8 takes about a second a step on wasm
  contentDim: 50, // size of the content code z_C
  motionDim: 10, // size of each motion code z_M⁽ᵗ⁾ (and of the GRU's state)
  // Hinge loss with spectral norm in both discriminators (Miyato et al. 2018) instead of the paper's cross-entropy:
  // with the paper's loss the discriminators win within a hundred steps at this size and the generator stops learning.
  loss: "hinge" as typeof gan.defaultConfigs.mocogan.loss, // "hinge", "bce" (the paper) or "wgan"
  spectralNorm: true, // bounds how fast D can sharpen: what keeps hinge from collapsing (paper: false)
  // Batch norm in D normalises the real and the fake batch each by its own statistics, which hides from D what sets
  // a whole batch apart (grey samples against black backgrounds); spectral norm replaces it (paper: true).
  dBatchNorm: false,
  r1Gamma: 0, // R1 gradient penalty on real clips (Mescheder et al. 2018), 0 = off
  imageFrames: 1, // frames per clip D_I judges (the paper: 1)
  imageBatch: "clips" as typeof gan.defaultConfigs.mocogan.imageBatch, // "clips": D_I's frames come from D_V's clips (one G pass); "own": a batch of their own, as the authors' code
  // D_V judges the clip 2×2 average-pooled (DVD-GAN): motion reads as well at 16×16, and its 3-D convolutions,
  // most of a step's cost, get four times cheaper (paper: false).
  dVideoHalfRes: true,
  // D_I's channels as a multiple of width (paper: 1). D_I sees only the picked frames, so widening it is cheap; at
  // width 1/8 a D_I as narrow as D_V stays near chance while G draws strokes that are not digits.
  imageDWidth: 4,
  videoDWidth: 1, // D_V's channels as a multiple of width (paper: 1)
  generatorWidth: 1, // G's channels as a multiple of width (paper: 1)
  // A bias on G's last layer (the published one has none), so one number can turn the background black.
  outputBias: true,
  // Optimisation: Adam for every network.
  batchSize: 16,
  // Two time-scale update rule (Heusel et al. 2017): D learns faster than G, and β1 = 0 keeps Adam from carrying
  // stale momentum across the moving target (SAGAN, BigGAN). SAGAN's 1e-4 / 4e-4 is for runs of 100k steps: Adam
  // moves each weight about one learning rate per step, and in the few thousand steps of a CPU budget G at 1e-4 is
  // still grey texture. Twice these rates learn faster for 2,500 steps, then get worse (docs/results.md); these
  // keep improving to the end of 8 minutes on the native backend (about 4,000 steps). The paper: 2e-4 for both,
  // β = (0.5, 0.999).
  lrG: 2.5e-4,
  lrD: 5e-4,
  beta1: 0,
  beta2: 0.9,
  nCritic: 1, // discriminator updates per generator update
  // Samples come from an average of G's weights with a half-life in images, ramped up with the images seen
  // (StyleGAN2-ADA): a fixed 0.999 would still mostly be the random initialisation after a short run. 0: off.
  emaHalfLifeImages: 10_000,
  // The half-life is at most this share of the images seen so far. StyleGAN2-ADA's 0.05 is for runs of millions of
  // images; in a few minutes the samples swing from one minute to the next, and a longer average evens that out.
  emaRampUp: 0.25,
  // Two-stage training: the image generator first learns single frames as an image GAN (a frame costs 1/16 of a
  // clip, so G sees far more digits per minute), then motion is learned on whole clips.
  imageWarmup: 0, // share of the training time spent on single frames (0: none; the paper trains on clips throughout)
  imageWarmupFrames: 4, // frames per clip G renders and D_I judges during the warm-up
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
  "mocogan",
  {
    frames: cfg.frames,
    size: cfg.size,
    channels: 1,
    width: cfg.width,
    contentDim: cfg.contentDim,
    motionDim: cfg.motionDim,
    loss: cfg.loss,
    spectralNorm: cfg.spectralNorm,
    dBatchNorm: cfg.dBatchNorm,
    r1Gamma: cfg.r1Gamma,
    imageFrames: cfg.imageFrames,
    imageBatch: cfg.imageBatch,
    dVideoHalfRes: cfg.dVideoHalfRes,
    outputBias: cfg.outputBias,
    imageDWidth: cfg.imageDWidth,
    videoDWidth: cfg.videoDWidth,
    generatorWidth: cfg.generatorWidth,
  },
  cfg.seed,
);
// The trainer's state (the optimisers, the generator's EMA weights, the step count) lives beside the model: rerunning
// the Train cell continues from it instead of leaving a second set of optimisers behind, and checkpoints save it.
const state = gan.createTrainState(model, {
  generator: { learningRate: cfg.lrG, beta1: cfg.beta1, beta2: cfg.beta2 },
  discriminator: { learningRate: cfg.lrD, beta1: cfg.beta1, beta2: cfg.beta2 },
  nCritic: cfg.nCritic,
  ema: cfg.emaHalfLifeImages > 0 && { halfLifeImages: cfg.emaHalfLifeImages, rampUp: cfg.emaRampUp },
});

// Trainable parameters by part (batch-norm statistics are state, not parameters). The first matching prefix wins.
const parts: [prefix: string, network: string, part: string][] = [
  ["g.motion", "G", "motion GRU: ε⁽ᵗ⁾ → z_M⁽ᵗ⁾"],
  ["g.", "G", "image: [z_C, z_M⁽ᵗ⁾] → frame t"],
  ["d.image", "D_I", "image: patches of one frame"],
  ["d.video", "D_V", "video: 3-D convs over the clip"],
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
show.md(`**G** ${gParams.toLocaleString("en")} parameters, **D_I + D_V** ${dParams.toLocaleString("en")}`);
await show([...paramRows.values()]);

// %% Train
// One call: a progress bar, every step's metrics logged (losses in all and per discriminator, D's outputs, gradient norms, step time), a sample GIF every `sampleEvery` steps,
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
  imageWarmup: cfg.imageWarmup,
  imageWarmupFrames: cfg.imageWarmupFrames,
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

// Same content, new motion, for three times the trained length: each row holds one content code z_C and draws its
// own motion noise, with the GRU unrolled past the frames the video discriminator ever saw.
const longFrames = 3 * cfg.frames;
show.md(`One content code, six motions, ${longFrames} frames each (trained on ${cfg.frames}):`);
const sameContent = gan.fixedContent(model, 6, { seed: 3, frames: longFrames });
await show(await gan.videoToFilmstrip(sameContent)); // 3× as wide as the others: no enlargement
await show(sameContent);
sameContent.dispose();

// And the other way round: one motion (the GRU's initial state and noise), six content codes.
show.md("One motion, six content codes:");
const sameMotion = gan.varyLatent(model, ["h0", "motionNoise"], 5, [21, 22, 23, 24, 25, 26], { frames: cfg.frames });
await show(await gan.videoToFilmstrip(sameMotion, { scale: 2 }));
await show(sameMotion);
sameMotion.dispose();

// %% Start from the trained model
// A MoCoGAN trained with this notebook for longer (lib/gan/pretrained/mocogan, whose metrics.json records the settings
// it was trained with; `npm run pretrain -- --model mocogan` remakes it with today's defaults): moving digits without
// waiting. Sample it, or fine-tune it: `await fit(trained.model, data, { minutes: 2 })` continues from its weights,
// EMA and optimisers.
const trained = await gan.pretrained("mocogan");
show.md(`${trained.summary}:`); // steps, minutes, backend and FVD-MM, from its metrics.json
const trainedSamples = gan.sample(trained.model, 16, { seed: 7 });
await show(trainedSamples);
await show(await gan.videoToFilmstrip(trainedSamples, { scale: 2 }));
trainedSamples.dispose();
trained.dispose();

// %% [markdown]
// ## What to try next
// - **The paper's setting:** the `--set` line above the Configuration, and `--set width=1 --set size=64` on a GPU
//   (`--backend webgpu`).
// - **How much motion the content holds:** `zoetrope sweep experiments/mocogan.ts --grid "motionDim=2,10,30"`. A tiny
//   motion code cannot describe two digits bouncing independently; a large one can start to change the digits.
// - **Extrapolation:** train on shorter clips, `--set frames=8` (half the cost per step), and watch the 24-frame
//   videos above: does the GRU keep the digits bouncing past the trained length, or does the motion stall or drift?
// - **The published discriminators:** `--set dBatchNorm=true --set dVideoHalfRes=false`, and compare how fast the
//   samples darken.
// - **What D_I sees:** `--set imageFrames=4`, and `--set imageBatch=own` (G renders only the frames D_I judges).
// - **Stability:** `--set r1Gamma=1`, or the paper's loss `--set loss=bce --set spectralNorm=false`.
// - **Continue a run:** `restore(model, runId)` in a new cell loads the latest checkpoint into the model, and
//   `fit(model, data, { minutes: 5 })` then continues (so does `gan.train` given `state`).
