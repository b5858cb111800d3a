#!/usr/bin/env node
// `npm start`: the whole set-up after `npm install`. Prepares the data assets and the kernel's worker and wasm
// files, applies the checked-in migrations, loads the example notebooks, builds the app when sources changed, then
// serves on 127.0.0.1:3000 through scripts/server.js (Next behind a guard for the request methods Next cannot take).
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dev = process.argv.includes("--dev");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
env.DATA_DIR = path.resolve(root, env.DATA_DIR ?? "data");
env.DATABASE_URL ??= `file:${path.join(env.DATA_DIR, "zoetrope.db")}`;
const host = env.HOST ?? "127.0.0.1";
const port = env.PORT ?? "3000";
fs.mkdirSync(env.DATA_DIR, { recursive: true });

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`zoetrope: \`${cmd} ${args.join(" ")}\` failed`);
    process.exit(result.status ?? 1);
  }
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);

/** Newest modification time under the given paths (files and folders, recursively). */
function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
  };
  paths.forEach((p) => visit(path.join(root, p)));
  return newest;
}

function buildIsStale() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const sources = ["app", "components", "lib", "public", "package.json", "next.config.js", "tsconfig.json"];
  return newestMtime(sources) > fs.statSync(buildId).mtimeMs;
}

run(bin("tsx"), ["scripts/build-mnist-asset.ts"]);
// Before the staleness check: they write public/kernel, public/wasm and public/monaco only when their bytes change.
run(bin("tsx"), ["scripts/build-kernel.ts"]);
run(bin("tsx"), ["scripts/build-monaco.ts"]);
run(bin("tsx"), ["scripts/migrate.ts"]);
run(bin("tsx"), ["scripts/load-examples.ts"]);
if (!dev && buildIsStale()) run(bin("next"), ["build"]);

const serverArgs = ["scripts/server.js", ...(dev ? ["--dev"] : [])];
const server = spawn(process.execPath, serverArgs, { cwd: root, env: { ...env, HOST: host, PORT: port }, stdio: "inherit" });
// In development the kernel's worker is rebuilt as lib/ changes (Next does not bundle it).
const watcher = dev ? spawn(bin("tsx"), ["scripts/build-kernel.ts", "--watch"], { cwd: root, env, stdio: "inherit" }) : null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    watcher?.kill(signal);
    server.kill(signal);
  });
}
server.on("exit", (code) => {
  watcher?.kill();
  process.exit(code ?? 0);
});
