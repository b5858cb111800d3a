// Builds what the notebook page's kernel needs from public/: the worker script (lib/runner/worker.ts bundled as
// one classic-worker IIFE, minified, with a source map) at public/kernel/worker.js, and tfjs-backend-wasm's .wasm
// binaries at public/wasm/ (the worker's WASM_PATHS), the video-metric networks' weights (lib/gan/metrics/weights)
// at public/assets/generated/video-metrics/ (lib/gan/metrics/weights.ts's METRIC_WEIGHTS_URL), and each trained
// checkpoint that exists (lib/gan/pretrained/<kind>/, made by scripts/train-pretrained.ts) at
// public/assets/generated/pretrained/<kind>/ (lib/gan/pretrained.ts's PRETRAINED_URL). Runs before every `next build` and `npm start`, so a file is
// only written when its bytes change: an unchanged build leaves mtimes alone and does not make the app build stale.
//   npx tsx scripts/build-kernel.ts [--out public] [--watch]
// --watch (`npm run dev`) rebuilds the worker whenever a file it imports changes.
import { build, context, type BuildOptions } from "esbuild";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PRETRAINED_FILES, PRETRAINED_PATH, PRETRAINED_URL } from "../lib/gan/checkpoint/source";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = path.join(ROOT, "lib", "runner", "worker.ts");

export interface KernelBuildResult {
  /** Files written (changed) and left alone (same bytes), relative to the output folder. */
  written: string[];
  unchanged: string[];
  workerBytes: number;
  wasmBytes: number;
  metricWeightBytes: number;
  /** The trained checkpoints copied (their kinds), and their bytes. */
  pretrained: string[];
  pretrainedBytes: number;
}

export interface KernelBuildOptions {
  /** Where the trained checkpoints are, one folder per kind; default lib/gan/pretrained. */
  pretrainedDir?: string;
}

/** Writes `bytes` to `file` unless it already holds exactly them; write-then-rename so readers never see half a file. */
async function writeIfChanged(file: string, bytes: Uint8Array): Promise<boolean> {
  const old = await readFile(file).catch(() => null);
  if (old && Buffer.compare(old, bytes) === 0) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return true;
}

function workerOptions(outfile: string): BuildOptions & { write: false } {
  return {
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    write: false,
    // A classic worker (`new Worker(url)`): one self-contained script, no module loading in the worker.
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: true,
    logLevel: "warning",
    // Node-only branches of lib/gan (the `webgpu` package for Dawn, node:fs for checkpoints) are never reached in a
    // browser; leaving them out keeps the bundle buildable.
    external: ["webgpu", "node:*"],
    define: { "process.env.NODE_ENV": '"production"' },
  };
}

/** Writes the worker bundle's files (script and .map); returns the script's size. */
async function writeWorker(
  files: { path: string; contents: Uint8Array }[],
  worker: string,
  record: (file: string, changed: boolean) => void,
): Promise<number> {
  let bytes = 0;
  for (const out of files) {
    record(out.path, await writeIfChanged(out.path, out.contents));
    if (out.path === worker) bytes = out.contents.byteLength;
  }
  return bytes;
}

/** The video-metric weights the app serves (model.json names weights.bin beside it). */
const METRIC_WEIGHT_FILES = ["model.json", "weights.bin"];

async function wasmFiles(): Promise<string[]> {
  const pkg = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json");
  const dist = path.join(path.dirname(pkg), "dist");
  const names = (await readdir(dist)).filter((n) => n.endsWith(".wasm")).sort();
  if (names.length === 0) throw new Error(`no .wasm files in ${dist}`);
  return names.map((n) => path.join(dist, n));
}

/** Each trained checkpoint folder with a complete set of files: kind → its folder. A kind without one is skipped. */
async function pretrainedFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const complete = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => {
        const files = await readdir(path.join(dir, e.name));
        return PRETRAINED_FILES.every((f) => files.includes(f)) ? e.name : undefined;
      }),
  );
  return complete.filter((k): k is string => k !== undefined).sort();
}

export async function buildKernel(outDir = path.join(ROOT, "public"), opts: KernelBuildOptions = {}): Promise<KernelBuildResult> {
  const result: KernelBuildResult = { written: [], unchanged: [], workerBytes: 0, wasmBytes: 0, metricWeightBytes: 0, pretrained: [], pretrainedBytes: 0 };
  const record = (file: string, changed: boolean) =>
    (changed ? result.written : result.unchanged).push(path.relative(outDir, file));

  const worker = path.join(outDir, "kernel", "worker.js");
  result.workerBytes = await writeWorker((await build(workerOptions(worker))).outputFiles, worker, record);
  for (const src of await wasmFiles()) {
    const bytes = await readFile(src);
    const dest = path.join(outDir, "wasm", path.basename(src));
    record(dest, await writeIfChanged(dest, bytes));
    result.wasmBytes += bytes.byteLength;
  }
  for (const name of METRIC_WEIGHT_FILES) {
    const bytes = await readFile(path.join(ROOT, "lib", "gan", "metrics", "weights", name));
    const dest = path.join(outDir, "assets", "generated", "video-metrics", name);
    record(dest, await writeIfChanged(dest, bytes));
    result.metricWeightBytes += bytes.byteLength;
  }
  const pretrainedDir = opts.pretrainedDir ?? path.join(ROOT, PRETRAINED_PATH);
  for (const kind of await pretrainedFolders(pretrainedDir)) {
    for (const name of PRETRAINED_FILES) {
      const bytes = await readFile(path.join(pretrainedDir, kind, name));
      const dest = path.join(outDir, ...PRETRAINED_URL.split("/").filter(Boolean), kind, name);
      record(dest, await writeIfChanged(dest, bytes));
      result.pretrainedBytes += bytes.byteLength;
    }
    result.pretrained.push(kind);
  }
  return result;
}

/** Rebuilds the worker on every change of its sources until the process ends (the wasm files do not change). */
export async function watchKernel(outDir = path.join(ROOT, "public")): Promise<void> {
  const worker = path.join(outDir, "kernel", "worker.js");
  const ctx = await context({
    ...workerOptions(worker),
    plugins: [
      {
        name: "write-if-changed",
        setup(b) {
          b.onEnd(async (r) => {
            if (r.errors.length > 0 || !r.outputFiles) return; // esbuild has printed the errors
            const written: string[] = [];
            await writeWorker(r.outputFiles, worker, (file, changed) => changed && written.push(file));
            if (written.length > 0) console.log(`kernel: rebuilt ${path.relative(outDir, worker)}`);
          });
        },
      },
    ],
  });
  await ctx.watch();
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outFlag = args.indexOf("--out");
  const outDir = outFlag >= 0 ? path.resolve(args[outFlag + 1]) : undefined;
  const t0 = performance.now();
  const r = await buildKernel(outDir);
  const ms = (performance.now() - t0).toFixed(0);
  const what = r.written.length > 0 ? `wrote ${r.written.join(", ")}` : "up to date";
  const pretrained = r.pretrained.length ? `trained ${r.pretrained.join(", ")} ${kb(r.pretrainedBytes)}` : "no trained checkpoints";
  console.log(`kernel: worker.js ${kb(r.workerBytes)}, wasm ${kb(r.wasmBytes)}, video-metric weights ${kb(r.metricWeightBytes)}, ${pretrained}; ${what} (${ms} ms)`);
  if (args.includes("--watch")) {
    await watchKernel(outDir);
    console.log("kernel: watching lib/ for changes");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
