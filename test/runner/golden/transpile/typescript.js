/* eslint-disable */ (async function (__scope, __typeof, __bind) { "use strict"; __bind([["Phase", () => Phase, (__value) => { Phase = __value; }], ["config", () => config], ["shape", () => shape], ["pick", () => pick, (__value) => { pick = __value; }], ["Sampler", () => Sampler, (__value) => { Sampler = __value; }], ["phase", () => phase]]); 







 // [B, T, H, W, C]
var Phase; (function (Phase) { const Warmup = 0; Phase[Phase["Warmup"] = Warmup] = "Warmup"; const Train = Warmup + 1; Phase[Phase["Train"] = Train] = "Train"; })(Phase || (Phase = {}));
const config = { frames: 16 } ;
const shape = [16, config.frames, 32, 32, 1] ;
function pick(obj, key) {
  return obj[key];
}
class Sampler {
   count = 0;
  constructor(  seed,  tensor) {;this.seed = seed;this.tensor = tensor;}
  next() {
    return this.count++ + this.seed;
  }
}

const phase = Phase.Train;
return (pick(config, "frames") * __scope.fromElsewhere);

})
//# sourceURL=cell-typescript.js