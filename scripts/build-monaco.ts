// Puts what the notebook's code editor loads at run time under public/monaco/ (git-ignored), so the page needs no CDN:
//   vs/         Monaco's AMD build (node_modules/monaco-editor/min/vs: loader.js, editor.main, the language workers)
//   types.json  { [file:/// path]: text } of the declarations a cell sees: tfjs-core's .d.ts files, declarations
//               emitted for lib/gan and lib/runner/cell-api.ts, and lib/runner/cell-globals.d.ts.
// Idempotent (runs from postinstall and before a build): each part is left alone when it is up to date.
//   npx tsx scripts/build-monaco.ts [--force] [--out dir]
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const MONACO_DIR = path.dirname(require.resolve("monaco-editor/package.json"));
const TFJS_DIR = path.dirname(require.resolve("@tensorflow/tfjs-core/package.json"));
const CELL_GLOBALS = path.join(ROOT, "lib", "runner", "cell-globals.d.ts");
/** The sources whose declarations a cell sees (cell-globals.d.ts imports them). */
const DECLARED = [path.join(ROOT, "lib", "gan", "index.ts"), path.join(ROOT, "lib", "runner", "cell-api.ts")];
const NODE_MODULES = path.join(ROOT, "node_modules");
const LIB_DIR = path.join(ROOT, "lib");

function version(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** Copies Monaco's AMD build unless the copy is of the same version. The stamp is written last. */
export function copyMonaco(outDir: string, force = false): boolean {
  const target = path.join(outDir, "vs");
  const stamp = path.join(outDir, "vs.version");
  const wanted = version(MONACO_DIR);
  if (!force && existsSync(stamp) && readFileSync(stamp, "utf8") === wanted && existsSync(path.join(target, "loader.js"))) {
    return false;
  }
  rmSync(stamp, { force: true });
  rmSync(target, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(path.join(MONACO_DIR, "min", "vs"), target, { recursive: true });
  writeFileSync(stamp, wanted);
  return true;
}

function newestMtime(p: string): number {
  const stat = statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(p).reduce((newest, name) => Math.max(newest, newestMtime(path.join(p, name))), stat.mtimeMs);
}

/** The compiler options lib/ is written for, with declarations emitted into memory. */
const EMIT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts", "lib.webworker.importscripts.d.ts"],
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  declaration: true,
  emitDeclarationOnly: true,
  // No ambient @types: a cell runs in a browser worker, and Node's globals must not leak into its declarations.
  types: [],
  rootDir: ROOT,
};

const toUri = (file: string) => `file:///${path.relative(ROOT, file).split(path.sep).join("/")}`;

/** Emits the declarations of lib/gan and lib/runner/cell-api.ts into memory: absolute .d.ts path → text. */
function emitDeclarations(): { declarations: Map<string, string>; warnings: string[] } {
  const program = ts.createProgram({ rootNames: DECLARED, options: EMIT_OPTIONS });
  const declarations = new Map<string, string>();
  const emitted = program.emit(undefined, (fileName, text) => {
    if (path.resolve(fileName).startsWith(LIB_DIR + path.sep)) declarations.set(path.resolve(fileName), text);
  });
  return { declarations, warnings: emitted.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")) };
}

/**
 * The declaration files a cell's type check needs, keyed by the path the editor's TypeScript worker sees: the
 * closure of cell-globals.d.ts over the emitted declarations (lib/'s sources hidden) and the packages they import,
 * so tfjs-core's tests and whatever only lib/'s implementation uses stay out.
 */
export function collectTypes(): { files: Record<string, string>; warnings: string[] } {
  const { declarations, warnings } = emitDeclarations();
  const options: ts.CompilerOptions = { ...EMIT_OPTIONS, declaration: false, emitDeclarationOnly: false, noEmit: true, skipLibCheck: false };
  const host = ts.createCompilerHost(options);
  const isHiddenSource = (file: string) => file.startsWith(LIB_DIR + path.sep) && /\.tsx?$/.test(file) && !file.endsWith(".d.ts");
  const realGetSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => declarations.has(path.resolve(f)) || (!isHiddenSource(path.resolve(f)) && ts.sys.fileExists(f));
  host.readFile = (f) => declarations.get(path.resolve(f)) ?? (isHiddenSource(path.resolve(f)) ? undefined : ts.sys.readFile(f));
  host.getSourceFile = (f, language, onError, create) => {
    const text = declarations.get(path.resolve(f));
    return text === undefined ? realGetSourceFile(f, language, onError, create) : ts.createSourceFile(f, text, language);
  };
  const program = ts.createProgram({ rootNames: [CELL_GLOBALS], options, host });
  const files: Record<string, string> = {};
  for (const source of program.getSourceFiles()) {
    if (program.isSourceFileDefaultLibrary(source)) continue;
    const file = path.resolve(source.fileName);
    if (!file.startsWith(LIB_DIR + path.sep) && !file.startsWith(NODE_MODULES + path.sep)) continue;
    files[toUri(file)] = source.text;
    if (file.startsWith(LIB_DIR + path.sep)) {
      for (const d of program.getSemanticDiagnostics(source)) {
        warnings.push(`${toUri(file)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
      }
    }
  }
  // The worker resolves a bare "@tensorflow/tfjs-core" to <package>/index.d.ts (it reads no package.json).
  files["file:///node_modules/@tensorflow/tfjs-core/index.d.ts"] = 'export * from "./dist/index";\n';
  return { files, warnings };
}

/** Writes types.json unless it is newer than every input. Returns its size in bytes, or 0 when left alone. */
export function writeTypes(outDir: string, force = false): number {
  const out = path.join(outDir, "types.json");
  const inputs = [path.join(ROOT, "lib", "gan"), path.join(ROOT, "lib", "runner", "cell-api.ts"), CELL_GLOBALS, path.join(TFJS_DIR, "package.json"), import.meta.filename];
  const built = statSync(out, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (!force && built > 0 && inputs.every((p) => newestMtime(p) < built)) return 0;
  const { files, warnings } = collectTypes();
  for (const w of warnings) console.warn(`build-monaco: declaration emit: ${w}`);
  const json = JSON.stringify(files);
  mkdirSync(outDir, { recursive: true });
  // Written beside and renamed, so a reader never sees half a file.
  writeFileSync(`${out}.tmp`, json);
  renameSync(`${out}.tmp`, out);
  return Buffer.byteLength(json);
}

export function buildMonaco(outDir = path.join(ROOT, "public", "monaco"), force = false): void {
  const started = performance.now();
  const copied = copyMonaco(outDir, force);
  const typesBytes = writeTypes(outDir, force);
  const parts = [copied ? `copied monaco-editor ${version(MONACO_DIR)}` : "", typesBytes ? `types.json ${(typesBytes / 1024).toFixed(0)} KiB` : ""];
  const done = parts.filter(Boolean).join(", ") || "up to date";
  console.log(`build-monaco: ${done} (${(performance.now() - started).toFixed(0)} ms)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  buildMonaco(outAt >= 0 ? path.resolve(args[outAt + 1]) : undefined, args.includes("--force"));
}
