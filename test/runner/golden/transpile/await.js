/* eslint-disable */ (async function (__scope, __typeof, __bind) { "use strict"; __bind([["response", () => response]]); 


// Top-level await, and the value of the last expression is the cell's value.
const response = await (0, __scope.load)("moving-mnist");
for await (const batch of (0, __scope.stream)(response)) {
  (0, __scope.show)(batch);
}
await new Promise((resolve) => (0, __scope.setTimeout)(resolve, 10));
return (await (0, __scope.summary)(response))

})
//# sourceURL=cell-await.js