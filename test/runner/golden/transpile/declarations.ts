/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// Every kind of top-level declaration is published on the scope; nested ones are not.
const frames = 16;
let step: number = 0;
var legacy = "var";
function makeModel(width: number) {
  const inner = width * 2; // a local of the function: not published
  return { width, inner };
}
class Trainer<T> {
  constructor(readonly model: T) {}
}
const { size, channels = 1, ...rest } = { size: 32, extra: true };
const [first, , third = 3, ...others] = [1, 2, undefined, 4];
if (frames > 8) {
  var hoisted = "var in a block reaches the cell's top level";
  let blockLocal = "not published";
}
for (let i = 0; i < 2; i++) step += i;
