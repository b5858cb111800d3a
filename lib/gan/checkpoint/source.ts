// Where stored weights come from: a folder on disk in Node, a URL everywhere (in a browser or worker, the app's
// public/ copy). Shared by the metric networks' weights and the trained checkpoints.

/** True in Node; false in a page or a Web Worker (a bundled worker may still see a `process` shim). */
export const isNode = (): boolean =>
  typeof process !== "undefined" && !!process.versions?.node && typeof window === "undefined" &&
  typeof (globalThis as { importScripts?: unknown }).importScripts !== "function";

/** Whether `where` names a URL rather than a folder: always outside Node, an http(s) address in Node. */
export const isUrl = (where: string): boolean => !isNode() || /^https?:/i.test(where);

// The trained checkpoints (lib/gan/pretrained.ts) live here, one folder per model kind. Kept in this tf-free module
// so the build (scripts/build-kernel.ts) can copy them without loading TF.js.
/** Where the checked-in checkpoints live, relative to the repository root (Node loads them from here). */
export const PRETRAINED_PATH = "lib/gan/pretrained";
/** Where the app serves them (scripts/build-kernel.ts copies them there). */
export const PRETRAINED_URL = "/assets/generated/pretrained";
/** A checkpoint folder's files. */
export const PRETRAINED_FILES = ["model.json", "weights.bin", "metrics.json"] as const;
