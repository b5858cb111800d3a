/* eslint-disable */ (async function (__scope, __typeof, __bind) { "use strict"; __bind([["frames", () => frames], ["step", () => step, (__value) => { step = __value; }], ["legacy", () => legacy, (__value) => { legacy = __value; }], ["makeModel", () => makeModel, (__value) => { makeModel = __value; }], ["Trainer", () => Trainer, (__value) => { Trainer = __value; }], ["size", () => size], ["channels", () => channels], ["rest", () => rest], ["first", () => first], ["third", () => third], ["others", () => others], ["hoisted", () => hoisted, (__value) => { hoisted = __value; }]]); 


// Every kind of top-level declaration is published on the scope; nested ones are not.
const frames = 16;
let step = 0;
var legacy = "var";
function makeModel(width) {
  const inner = width * 2; // a local of the function: not published
  return { width, inner };
}
class Trainer {
  constructor( model) {;this.model = model;}
}
const { size, channels = 1, ...rest } = { size: 32, extra: true };
const [first, , third = 3, ...others] = [1, 2, undefined, 4];
if (frames > 8) {
  var hoisted = "var in a block reaches the cell's top level";
  let blockLocal = "not published";
}
for (let i = 0; i < 2; i++) step += i;

})
//# sourceURL=cell-declarations.js