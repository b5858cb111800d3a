// Package entry. "./ops" must stay the first import: it registers the gradients and kernel fixes every
// model and the trainer rely on.
import "./ops";

export * from "./types";
export { initBackend } from "./backend";
