/* eslint-disable */ (async function (__scope, __typeof, __bind) { "use strict"; __bind([["bar", () => bar]]); 


// The Train cell of experiments/hello.ts.
const bar = (0, __scope.progress)(__scope.cfg.steps, "training");
return (await __scope.gan.train(__scope.model, __scope.data, {
  steps: __scope.cfg.steps,
  batchSize: __scope.cfg.batchSize,
  seed: __scope.cfg.seed,
  signal: __scope.signal,
  sampleEvery: __scope.cfg.sampleEvery,
  onStep: (m) => {
    (0, __scope.log)(m, m.step);
    bar.update(m.step + 1);
  },
  onSample: async (step, video) => {
    await (0, __scope.sample)("samples", video, step);
    video.dispose();
  },
}));

})
//# sourceURL=cell-train.js