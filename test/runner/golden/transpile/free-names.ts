/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// Names this cell does not declare come from the scope; its own names and builtins stay as they are.
const local = Math.max(cfg.frames, 1);
model.train(data, { steps: cfg.steps, local, seed });
const { frames = defaultFrames } = cfg;
step += 1;
count++;
[a, b] = [b, a];
({ left, right: other.value } = pair);
function helper(x: number, ...more: number[]) {
  const shadow = x + later; // later: defined by a later cell, looked up when helper runs
  return typeof maybe === "undefined" ? shadow : maybe(more);
}
outer: for (const item of items) {
  if (item.skip) continue outer;
  show({ item, local });
}
new Trainer(model).fit`tagged ${model}`;
tf.tidy(() => tf.add(x, y));
