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
// Here it learns Moving MNIST, two digits bouncing in a box, at a CPU-sized width and for a few hundred steps,
// where the paper trains a full-width model with RMSProp at 5e-5 for far longer. Expect dark frames with moving
// blobs rather than digits; and a model this small often *collapses*, ignoring z₀ and making nearly the same clip
// for every latent. The interpolation at the end shows it: a collapsed generator walks from one clip to itself.

// %% Configuration
// Every value is recorded on the run; override any of them with `--set key=value` (or "Rerun with…").
const cfg = config({
  // Data: Moving MNIST.
  frames: 16, // clip length, as in the paper. G₀ doubles time at each layer: a power of two is the natural choice
  size: 32, // frame side: 4·2^k (8, 16, 32, 64). The paper uses 64; 32 is 4× cheaper
  numDigits: 2, // digits per clip: 2 is the standard dataset, 1 is an easier start
  // Model (defaults are the paper's unless noted).
  width: 1 / 16, // channel-width multiplier: 1 is the paper's 64→512 channels; 1/16 trains on a CPU
  zSlow: 100, // K₀: size of the clip latent z₀
  zFast: 100, // K₁: size of each frame latent z₁ᵗ
  loss: "wgan" as typeof gan.defaultConfigs.tgan.loss, // "wgan" (the paper), "hinge" or "bce"
  svc: true, // singular value clipping; turn it off when another constraint (gpWeight, spectralNorm) takes over
  svcInterval: 5, // clip every n critic updates (each clip costs an eigen-decomposition per layer)
  spectralNorm: false, // the later alternative to SVC (Miyato et al. 2018); pair it with loss "hinge"
  // The published critic has batch norms. Off here: they normalise the real and the fake batch each by its own
  // statistics, which hides from the critic what sets a whole batch apart (early on: grey samples against black
  // backgrounds), and at this size the generator then hardly moves in hundreds of steps. SVC alone bounds the critic.
  dBatchNorm: false,
  gpWeight: 0, // WGAN-GP's λ (10 in Gulrajani et al.): a third way to keep the critic Lipschitz
  initScale: 0.01, // every weight starts in U(−s, s), as published
  // Optimisation. Adam with β1 = 0 is RMSProp with bias correction: the paper's optimiser.
  batchSize: 16,
  lrG: 1e-3, // the paper's 5e-5 needs tens of thousands of steps; a tiny model moves within a few hundred at 1e-3
  lrD: 1e-3,
  beta1: 0,
  beta2: 0.99, // Chainer's RMSProp decay ρ
  nCritic: 1, // critic updates per generator update (1 in the paper thanks to SVC; WGAN's usual is 5)
  ema: 0.99, // sample from an average of the generator's recent weights, steadier than the raw ones (0: off)
  steps: 500, // generator updates
  sampleEvery: 100, // record a sample GIF every n steps (0: never)
  checkpointEvery: 200, // save model, optimisers and EMA every n steps and at the end (0: never)
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
  },
  cfg.seed,
);
// The trainer's state (both optimisers, the generator's EMA weights, the step count) lives beside the model: rerunning
// the Train cell continues from it instead of leaving a second set of optimisers behind, and checkpoints save it.
const state = gan.createTrainState(model, {
  generator: { learningRate: cfg.lrG, beta1: cfg.beta1, beta2: cfg.beta2 },
  discriminator: { learningRate: cfg.lrD, beta1: cfg.beta1, beta2: cfg.beta2 },
  nCritic: cfg.nCritic,
  ema: cfg.ema,
});

// Trainable parameters by part (batch-norm statistics and the clipping counter are state, not parameters). The
// first matching prefix wins.
const parts: [prefix: string, network: string, part: string][] = [
  ["g.temporal", "G", "G₀ temporal: z₀ → z₁¹…z₁ᵀ"],
  ["g.image", "G", "G₁ image: (z₀, z₁ᵗ) → frame t"],
  ["d.body", "D", "critic: 3-D conv stack"],
  ["d.head", "D", "critic: a score per time step"],
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
// Trains until `steps` updates in all: a rerun continues where the last run stopped (raise `steps` to go further);
// rerun the Model cell to start again from fresh weights.
const bar = progress(cfg.steps, "training");
bar.update(state.step);
const started = { step: state.step, time: performance.now() };
let savedAt = -1;
const result = await gan.train(model, data, {
  steps: cfg.steps,
  batchSize: cfg.batchSize,
  seed: cfg.seed,
  state,
  signal,
  sampleEvery: cfg.sampleEvery,
  onStep: async ({ step, ...metrics }) => {
    log(metrics, step); // losses, critic scores, gradient norms and step time
    bar.update(step);
    if (cfg.checkpointEvery > 0 && step % cfg.checkpointEvery === 0) {
      await checkpoint(model, state);
      savedAt = step;
    }
  },
  onSample: async (step, video) => {
    await sample("samples", video, step); // the same latent every time: watch the same clips take shape
    video.dispose();
  },
});
// A last checkpoint at the final step, unless one was just saved (or the run stopped in the middle of a step).
if (cfg.checkpointEvery > 0 && result.step > started.step && savedAt !== result.step && !result.partialStep) {
  await checkpoint(model, state);
}
const ran = result.step - started.step;
const elapsedMs = performance.now() - started.time;
if (ran > 0) show.md(`${ran} steps in ${(elapsedMs / 1000).toFixed(1)} s, ${(elapsedMs / ran).toFixed(0)} ms per step`);

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
// - **Continue a run:** `restore(model, runId)` in a new cell loads the latest checkpoint and returns the state, which
//   you can pass to `gan.train`.
