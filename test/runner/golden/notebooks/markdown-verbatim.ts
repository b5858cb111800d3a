/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// %% [markdown]
// # Title

// A blank line above, not `//`.

// %% [markdown]
// trailing space below
// 

// %% [markdown]
//no space after the slashes

// %% [md] Short form
// canonical
//
// lines

// %% [markdown]


// %%
const z = 0;
