// The pure parts of `npm run results` (scripts/results.ts): the ablation rows per model and the chart's
// vega-lite spec. Kept apart so tests can check them without training anything.

/** One row of the ablation: the notebook's defaults with `set` applied (`--set key=value`). */
export interface Ablation {
  label: string;
  set: Record<string, string | number | boolean>;
}

/** FVD-MM at n against minutes of training, for one model. */
export interface Curve {
  name: string;
  points: { minutes: number; fvd: number; step: number }[];
}

// The paper's setting of each change the example notebooks make, one at a time. The first row is the recipe itself.
const paperLoss = { loss: "bce", spectralNorm: false, dBatchNorm: true };
const shared: Ablation[] = [
  { label: "recipe (the notebook's defaults)", set: {} },
  { label: "SAGAN's learning rates, 1e-4 / 4e-4", set: { lrG: 1e-4, lrD: 4e-4 } },
  { label: "Adam β = (0.5, 0.999)", set: { beta1: 0.5, beta2: 0.999 } },
  { label: "no EMA of G", set: { emaHalfLifeImages: 0 } },
  { label: "EMA ramp-up 0.05 (StyleGAN2-ADA's)", set: { emaRampUp: 0.05 } },
  { label: "constant learning rates (no decay)", set: { lrDecay: 0 } },
  { label: "video D at full resolution", set: { dVideoHalfRes: false } },
];

export const ABLATIONS: Record<"tgan" | "mocogan" | "vgan", Ablation[]> = {
  mocogan: [
    ...shared,
    { label: "one learning rate, 2.5e-4 for both (no TTUR)", set: { lrD: 2.5e-4 } },
    { label: "D_I as wide as D_V", set: { imageDWidth: 1 } },
    { label: "paper loss: BCE, no spectral norm, D batch norm", set: paperLoss },
    { label: "D_I judges 4 frames per clip", set: { imageFrames: 4 } },
    { label: "D_I's own batch: G renders only the judged frames", set: { imageBatch: "own" } },
    { label: "no bias on G's output layer", set: { outputBias: false } },
    { label: "image warm-up: 30% of the time on single frames", set: { imageWarmup: 0.3 } },
    { label: "the paper's recipe", set: { ...paperLoss, dVideoHalfRes: false, lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999, emaHalfLifeImages: 0, lrDecay: 0, outputBias: false, imageDWidth: 1 } },
  ],
  vgan: [
    ...shared,
    { label: "one learning rate, 5e-4 for both (no TTUR)", set: { lrD: 5e-4 } },
    { label: "paper loss: BCE, no spectral norm, D batch norm", set: paperLoss },
    { label: "no minibatch standard deviation in D", set: { mbstdGroup: 0 } },
    { label: "no frame discriminator", set: { imageFrames: 0 } },
    { label: "the frame discriminator as wide as the video one", set: { imageDWidth: 1 } },
    { label: "the paper's recipe", set: { ...paperLoss, dVideoHalfRes: false, lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999, emaHalfLifeImages: 0, lrDecay: 0, mbstdGroup: 0, imageFrames: 0 } },
  ],
  tgan: [
    ...shared,
    { label: "one learning rate, 5e-4 for both (no TTUR)", set: { lrD: 5e-4 } },
    { label: "paper loss: WGAN with singular value clipping", set: { loss: "wgan", svc: true, spectralNorm: false } },
    { label: "no minibatch standard deviation in the critic", set: { mbstdGroup: 0 } },
    { label: "no frame critic", set: { imageFrames: 0 } },
    { label: "the frame critic as wide as the video one", set: { imageDWidth: 1 } },
    {
      label: "the paper's recipe",
      set: { loss: "wgan", svc: true, spectralNorm: false, dBatchNorm: true, dVideoHalfRes: false, lrG: 5e-5, lrD: 5e-5, beta2: 0.99, emaHalfLifeImages: 0, lrDecay: 0, mbstdGroup: 0, imageFrames: 0 },
    },
  ],
};

/** Lines of FVD-MM against minutes per model, with horizontal rules for the reference sets (name → FVD-MM). */
export function chartSpec(curves: Curve[], references: Record<string, number>, n: number): object {
  const values = curves.flatMap((c) => c.points.map((p) => ({ model: c.name, minutes: p.minutes, fvd: p.fvd, step: p.step })));
  const rules = Object.entries(references).map(([reference, fvd]) => ({ reference, fvd }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `FVD-MM (n = ${n}) against minutes of training`,
    width: 560,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "minutes", type: "quantitative", title: "minutes of training" },
          y: { field: "fvd", type: "quantitative", title: "FVD-MM (lower is better)", scale: { zero: true } },
          color: { field: "model", type: "nominal", title: "model" },
          tooltip: [{ field: "model" }, { field: "step" }, { field: "fvd", format: ".1f" }],
        },
      },
      {
        data: { values: rules },
        mark: { type: "rule", strokeDash: [4, 4], color: "#888" },
        encoding: { y: { field: "fvd", type: "quantitative" } },
      },
      {
        data: { values: rules },
        mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#555" },
        encoding: { x: { value: 0 }, y: { field: "fvd", type: "quantitative" }, text: { field: "reference" } },
      },
    ],
  };
}
