// %% [markdown]
// # CRLF notebook
//
// Every line ends in CR LF.

// %% Setup
/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
const x = 1;

// %%
const y = x + 1;
