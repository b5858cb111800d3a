// Loads Monaco once per page from the copy scripts/build-monaco.ts puts under public/monaco (no CDN: the notebook
// works offline). Monaco 0.55's `min` build is AMD: its loader.js defines `require`/`define`, and editor.main pulls
// the rest (CSS included) from the same folder. Its language workers are same-origin scripts started through
// blob: wrappers, which a cross-origin isolated page (COOP/COEP) allows. Only Monaco's types are imported here:
// none of its code enters the Next bundle.
import type * as Monaco from "monaco-editor";

export type MonacoApi = typeof Monaco;

/** Where public/monaco is served. */
export const MONACO_BASE = "/monaco";

interface AmdRequire {
  (deps: string[], onLoad: (...modules: unknown[]) => void, onError?: (err: unknown) => void): void;
  config(config: { paths: Record<string, string> }): void;
}

let loading: Promise<MonacoApi> | undefined;

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

async function load(base: string): Promise<MonacoApi> {
  const global = globalThis as unknown as { monaco?: MonacoApi; require?: AmdRequire };
  if (global.monaco) return global.monaco;
  await loadScript(`${base}/vs/loader.js`);
  const amdRequire = global.require;
  if (!amdRequire?.config) throw new Error(`${base}/vs/loader.js did not define an AMD require`);
  amdRequire.config({ paths: { vs: `${base}/vs` } });
  return new Promise<MonacoApi>((resolve, reject) => {
    amdRequire(["vs/editor/editor.main"], (main) => resolve(main as MonacoApi), reject);
  });
}

/**
 * Monaco's API, loaded on the first call (a script tag, then editor.main through the AMD loader); later calls share
 * the same promise. A failed load is forgotten so that a later call tries again.
 */
export function loadMonaco(base: string = MONACO_BASE): Promise<MonacoApi> {
  loading ??= load(base).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
