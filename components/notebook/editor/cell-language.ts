// The language of code cells, set up once per page. A code cell's own model gets the language "zoetrope-ts":
// TypeScript's highlighting and brackets, but none of Monaco's built-in TypeScript features, which would check the
// cell alone. Instead each cell keeps a hidden "context" model (cell-context.ts) holding the cells above it and
// then its own text, and the providers registered here ask Monaco's TypeScript worker about that model and map the
// answers back into the cell. The worker also gets, as extra libraries, the declarations of what every cell sees
// (public/monaco/types.json, made by scripts/build-monaco.ts).
import type * as Monaco from "monaco-editor";
import { registerCellProviders } from "./cell-providers";
import { MONACO_BASE, type MonacoApi } from "./load-monaco";

export const CELL_LANGUAGE = "zoetrope-ts";

/** Monaco registers its built-in languages with a lazy `loader` that ILanguageExtensionPoint does not declare. */
interface LazyLanguage extends Monaco.languages.ILanguageExtensionPoint {
  loader?: () => Promise<{ conf: Monaco.languages.LanguageConfiguration; language: Monaco.languages.IMonarchLanguage }>;
}

let setup: Promise<void> | undefined;

/** TypeScript's own Monarch grammar and configuration, as Monaco's "typescript" language loads them. */
function typescriptGrammar(monaco: MonacoApi) {
  const ts = monaco.languages.getLanguages().find((l) => l.id === "typescript") as LazyLanguage | undefined;
  if (!ts?.loader) throw new Error("Monaco's TypeScript grammar is not registered");
  return ts.loader();
}

/** The compiler options a cell is checked with: a module (so top-level await works) in a browser worker. */
function compilerOptions(monaco: MonacoApi): Monaco.typescript.CompilerOptions {
  const { ModuleKind, ModuleResolutionKind } = monaco.typescript;
  return {
    // ts.ScriptTarget.ES2022 (Monaco's enum stops at ES2020; its worker passes the number to TypeScript as is).
    target: 9 as Monaco.typescript.ScriptTarget,
    module: ModuleKind.ESNext,
    // Resolves "@tensorflow/tfjs-core" to file:///node_modules/@tensorflow/tfjs-core/index.d.ts in types.json.
    moduleResolution: ModuleResolutionKind.NodeJs,
    lib: ["es2023", "dom", "dom.iterable"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowNonTsExtensions: true,
    types: [],
  };
}

async function fetchTypes(base: string): Promise<{ content: string; filePath: string }[]> {
  const res = await fetch(`${base}/types.json`);
  if (!res.ok) throw new Error(`${base}/types.json: HTTP ${res.status}`);
  const files = (await res.json()) as Record<string, string>;
  return Object.entries(files).map(([filePath, content]) => ({ filePath, content }));
}

async function setUp(monaco: MonacoApi, base: string): Promise<void> {
  monaco.languages.register({ id: CELL_LANGUAGE, aliases: ["TypeScript (cell)"] });
  const grammar = typescriptGrammar(monaco);
  monaco.languages.registerTokensProviderFactory(CELL_LANGUAGE, { create: async () => (await grammar).language });
  // Brackets, comments and indentation do not wait for the declarations.
  void grammar.then(({ conf }) => monaco.languages.setLanguageConfiguration(CELL_LANGUAGE, conf));
  const defaults = monaco.typescript.typescriptDefaults;
  defaults.setCompilerOptions(compilerOptions(monaco));
  // Context models are "typescript" but never shown: Monaco's own checker then leaves them alone.
  defaults.setDiagnosticsOptions({ ...defaults.getDiagnosticsOptions(), onlyVisible: true });
  registerCellProviders(monaco, CELL_LANGUAGE);
  // Set before the worker starts: changing them later restarts it. Without them every cell would show errors for
  // tf, gan and config, so a failure here leaves cells unchecked (the providers' requests fail) instead.
  defaults.setExtraLibs(await fetchTypes(base));
}

/**
 * Registers the cell language and gives the TypeScript worker its declarations and options, once per page. The
 * cell language highlights as soon as this starts; completions and checks wait for the promise, and get nothing
 * when it fails (types.json missing: run scripts/build-monaco.ts).
 */
export function setUpCellLanguage(monaco: MonacoApi, base: string = MONACO_BASE): Promise<void> {
  if (!setup) {
    setup = setUp(monaco, base);
    setup.catch((err: unknown) => console.warn("code cells are not type-checked:", err));
  }
  return setup;
}
