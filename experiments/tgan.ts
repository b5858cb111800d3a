// %% [markdown]
// # TGAN: a temporal generator and singular value clipping
// **Temporal Generative Adversarial Nets with Singular Value Clipping**, M. Saito, E. Matsumoto and S. Saito,
// ICCV 2017 ([arXiv:1611.06624](https://arxiv.org/abs/1611.06624)). The model follows the authors' Chainer code.
//
// - **Generator, in two parts.** A *temporal generator* G₀ turns one clip latent z₀ into T frame latents z₁ᵗ with
//   1-D transposed convolutions over time. An *image generator* G₁, a DCGAN-style 2-D generator, renders frame t
//   from the pair (z₀, z₁ᵗ). The clip latent sets what the video shows; the frame latents make it move.
// - **Discriminator.** A critic of 3-D convolutions (space and time) scores whole clips, one score per remaining
//   time step.
// - **Loss.** Wasserstein GAN: the critic maximises E[D(real)] − E[D(fake)] and the generator maximises E[D(fake)].
//   That is only sound when the critic is 1-Lipschitz.
// - **What is special: singular value clipping (SVC).** WGAN bounds the critic by clipping every weight into a
//   small box, which wastes its capacity. TGAN instead clips the *singular values* of every weight matrix (a
//   convolution viewed as a matrix) to at most 1, and keeps each batch norm's γ below its running standard
//   deviation. Then no layer can stretch its input. The clipping runs every few critic updates (`svcInterval`).
//
// Here it learns Moving MNIST, two digits bouncing in a box, at a CPU-sized width for a few minutes, where the paper
// trains a full-width model with RMSProp at 5e-5 for far longer. The recipe (Configuration) departs from the paper
// where the paper's settings do not learn at this size, each departure with its reason. A model this small can still
// *collapse*, ignoring z₀ and making nearly the same clip for every latent: the interpolation at the end shows it.

// %% Configuration
// Every value is recorded on the run; override any of them with `--set key=value` (or "Rerun with…"). The defaults
// are a recipe that learns in minutes on a CPU; the paper's WGAN with singular value clipping is one line away:
//   --set loss=wgan --set svc=true --set spectralNorm=false --set dBatchNorm=true --set dVideoHalfRes=false
//   --set lrG=5e-5 --set lrD=5e-5 --set beta2=0.99 --set emaHalfLifeImages=0 --set lrDecay=0 --set mbstdGroup=0
//   --set imageFrames=0
const cfg = config({
  // Data: Moving MNIST.
  frames: 16, // clip length, as in the paper. G₀ doubles time at each layer: a power of two is the natural choice
  size: 32, // frame side: 4·2^k (8, 16, 32, 64). The paper uses 64; 32 is 4× cheaper
  numDigits: 2, // digits per clip: 2 is the standard dataset, 1 is an easier start
  // Model (the paper's sizes unless noted).
  width: 1 / 8, // channel-width multiplier: 1 is the paper's 64→512 channels; 1/8 trains on a CPU
  zSlow: 100, // K₀: size of the clip latent z₀
  zFast: 100, // K₁: size of each frame latent z₁ᵗ
  // Hinge loss with spectral norm (Miyato et al. 2018) instead of the paper's WGAN with singular value clipping:
  // SVC keeps the critic Lipschitz but starts slowly (hundreds of steps of grey), and clipping costs an
  // eigen-decomposition per layer; spectral norm costs one matrix-vector product per layer and step.
  loss: "hinge" as typeof gan.defaultConfigs.tgan.loss, // "hinge", "wgan" (the paper) or "bce"
  svc: false, // singular value clipping (the paper: true); turn it on with loss "wgan"
  svcInterval: 5, // clip every n critic updates (each clip costs an eigen-decomposition per layer)
  spectralNorm: true, // the later alternative to SVC (the paper: false)
  // The published critic has batch norms. They normalise the real and the fake batch each by its own statistics,
  // which hides from the critic what sets a whole batch apart (grey samples against black backgrounds).
  dBatchNorm: false,
  gpWeight: 0, // WGAN-GP's λ (10 in Gulrajani et al.): a third way to keep the critic Lipschitz
  initScale: 0.01, // every weight starts in U(−s, s), as published
  // The critic judges clips 2×2 average-pooled (DVD-GAN): motion reads as well at 16×16, and its 3-D convolutions,
  // most of a step's cost, get four times cheaper (the paper: false).
  dVideoHalfRes: true,
  // The critic also sees how much each group of 4 clips differs (ProGAN's minibatch standard deviation): without it
  // G at this width settles on one clip for every latent, which the critic, judging clips one at a time, cannot see.
  mbstdGroup: 4, // 0: off (the paper)
  // A second critic judges single frames, one picked from each clip (MoCoGAN's image discriminator, DVD-GAN's
  // spatial one), four times as wide as the video critic: it asks every frame to look like a Moving MNIST frame,
  // where the video critic at this width spends what it has on motion. With it 8 minutes ended at FVD-MM
  // 65.0 and 77.3 (seeds 2 and 1), without it 88.9 (seed 1) (docs/results.md), for 15–25% more time a step.
  imageFrames: 1, // frames per clip it judges (0: none, the paper)
  imageDWidth: 4, // its channels as a multiple of width
  // Optimisation: Adam (with β1 = 0 and β2 = 0.99 it is the paper's RMSProp).
  batchSize: 16,
  // Two time-scale update rule (Heusel et al. 2017): D learns faster than G, and β1 = 0 keeps Adam from carrying
  // stale momentum across the moving target (SAGAN, BigGAN). SAGAN's 1e-4 / 4e-4 is for runs of 100k steps: Adam
  // moves each weight about one learning rate per step, and in the few hundred steps of a CPU budget G at 1e-4 is
  // still grey texture where at 5e-4 it draws dark frames with digit-shaped strokes. The paper: RMSProp at 5e-5 for both.
  lrG: 5e-4,
  lrD: 1e-3,
  beta1: 0,
  beta2: 0.9,
  nCritic: 1, // critic updates per generator update (1 in the paper)
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
  "tgan",
  {
    frames: cfg.frames,
    size: cfg.size,
    channels: 1,
    width: cfg.width,
    zSlow: cfg.zSlow,
    zFast: cfg.zFast,
    loss: cfg.loss,
    svc: cfg.svc,
    svcInterval: cfg.svcInterval,
    spectralNorm: cfg.spectralNorm,
    dBatchNorm: cfg.dBatchNorm,
    gpWeight: cfg.gpWeight,
    initScale: cfg.initScale,
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

// Trainable parameters by part (batch-norm statistics and the clipping counter are state, not parameters). The
// first matching prefix wins.
const parts: [prefix: string, network: string, part: string][] = [
  ["g.temporal", "G", "G₀ temporal: z₀ → z₁¹…z₁ᵀ"],
  ["g.image", "G", "G₁ image: (z₀, z₁ᵗ) → frame t"],
  ["d.body", "D", "critic: 3-D conv stack"],
  ["d.head", "D", "critic: a score per time step"],
  ["d.image", "D", "frame critic: patches of one frame"],
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
// One call: a progress bar, every step's metrics logged (losses, critic scores, gradient norms, step time), a sample GIF every `sampleEvery` steps,
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

// Latent interpolation: eight clips on the great circle from one clip latent z₀ to another (frame latents follow,
// since G₀ derives them from z₀). A generator that learned a smooth space morphs one pair of digits into another.
const walk = gan.interpolate(model, 11, 12, 8);
await show(await gan.videoToFilmstrip(walk, { scale: 2 }));
await show(walk);
walk.dispose();

// %% Start from the trained model
// A TGAN trained with this notebook for longer (lib/gan/pretrained/tgan, whose metrics.json records the settings it
// was trained with; `npm run pretrain -- --model tgan` remakes it with today's defaults): moving digits without
// waiting. Sample it, or fine-tune it: `await fit(trained.model, data, { minutes: 2 })` continues from its weights,
// EMA and optimisers.
const trained = await gan.pretrained("tgan");
show.md(`${trained.summary}:`); // steps, minutes, backend and FVD-MM, from its metrics.json
const trainedSamples = gan.sample(trained.model, 16, { seed: 7 });
await show(trainedSamples);
await show(await gan.videoToFilmstrip(trainedSamples, { scale: 2 }));
trainedSamples.dispose();
trained.dispose();

// %% [markdown]
// ## What to try next
// - **More capacity and time** against the collapse: `--set width=0.25 --set steps=3000` on a GPU
//   (`--backend webgpu`), then `--set size=64` for the paper's frame size.
// - **The paper's critic and optimiser:** `--set dBatchNorm=true --set lrG=5e-5 --set lrD=5e-5 --set steps=20000`.
// - **Other Lipschitz constraints on the critic:** hinge loss with spectral norm,
//   `--set loss=hinge --set svc=false --set spectralNorm=true`, or WGAN-GP,
//   `--set svc=false --set gpWeight=10 --set nCritic=5`. Compare the loss curves, the samples and their variety.
// - **How often to clip:** `zoetrope sweep experiments/tgan.ts --grid "svcInterval=1,5,20"`. Clipping rarely is
//   cheaper, but lets the critic drift further from 1-Lipschitz between clips.
// - **An easier dataset:** `--set numDigits=1`.
// - **Continue a run:** `restore(model, runId)` in a new cell loads the latest checkpoint into the model, and
//   `fit(model, data, { minutes: 5 })` then continues (so does `gan.train` given `state`).
