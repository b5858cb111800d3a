/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
const a = 1;

const b = a + 1;


// trailing comment, no newline at the end