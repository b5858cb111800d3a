/* eslint-disable */ (async function (__scope, __typeof, __bind) { "use strict"; __bind([["local", () => local], ["frames", () => frames], ["helper", () => helper, (__value) => { helper = __value; }]]); 


// Names this cell does not declare come from the scope; its own names and builtins stay as they are.
const local = Math.max(__scope.cfg.frames, 1);
__scope.model.train(__scope.data, { steps: __scope.cfg.steps, local, seed: __scope.seed });
const { frames = __scope.defaultFrames } = __scope.cfg;
__scope.step += 1;
__scope.count++;
[__scope.a, __scope.b] = [__scope.b, __scope.a];
({ left: __scope.left, right: __scope.other.value } = __scope.pair);
function helper(x, ...more) {
  const shadow = x + __scope.later; // later: defined by a later cell, looked up when helper runs
  return typeof __typeof.maybe === "undefined" ? shadow : (0, __scope.maybe)(more);
}
outer: for (const item of __scope.items) {
  if (item.skip) continue outer;
  (0, __scope.show)({ item, local });
}
new __scope.Trainer(__scope.model).fit`tagged ${__scope.model}`;
return (__scope.tf.tidy(() => __scope.tf.add(__scope.x, __scope.y)));

})
//# sourceURL=cell-free-names.js