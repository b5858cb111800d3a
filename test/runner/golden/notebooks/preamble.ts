/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// Experiment: ablation of the motion code size.
// Run with `zoetrope run preamble.ts`.


// %% [markdown] Notes
// Some *markdown*.
//
//   indented code

// %%   Setup   
const frames = 16;



// %%
// %%

// %%
const size = 32;