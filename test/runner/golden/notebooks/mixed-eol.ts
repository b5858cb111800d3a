/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
// %% LF cell
const a = 1;
const b = 2;

// %% CRLF cell
const c = 3;

// %% mixed cell
const d = 4;
const e = `a lone  carriage return`;

// %% trailing spaces   
const f = 5;   
	
// %% [markdown]
// a markdown cell, LF, at the end
