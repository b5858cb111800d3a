/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// %%
function f() {
  // %% indented: a comment, not a marker
  return 1;
}
// %%% three percent signs: a comment
// %%x glued title: a comment
// %%	Tabbed title
//%% No space before the percent signs
const g = f();
// %% [raw]
const h = `
// %% inside a template literal still splits: the format is line-based
`;
// %% Last, no newline