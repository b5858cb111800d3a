/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// Top-level await, and the value of the last expression is the cell's value.
const response = await load("moving-mnist");
for await (const batch of stream(response)) {
  show(batch);
}
await new Promise<void>((resolve) => setTimeout(resolve, 10));
await summary(response)
