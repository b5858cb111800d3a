// The code-cell editor in headless Chromium: two CellEditors in React 19 (components/notebook/editor), Monaco loaded
// from public/monaco as the app serves it (scripts/build-monaco.ts), on a cross-origin isolated page. Checks what a
// person sees: completions that know the cell above and the globals (tf, gan, config…), type errors as squiggles,
// hovers, the notebook's keys, and that nothing is fetched from anywhere but the page's own server.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMonaco } from "../../scripts/build-monaco";
import { launchBrowser, resultsPath } from "./helpers";
import { serveBundle, type PageServer } from "./page-server";
import type { CellEditorHarness } from "./pages/cell-editor-entry";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const MOD = process.platform === "darwin" ? "Meta" : "Control";
/** The editor's pause after typing before it checks (cell-context.ts). */
const CHECK_DELAY_MS = 300;

let server: PageServer;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const errors: string[] = [];

const cell = (i: number) => `[data-cell="${i}"]`;

function harness<T>(fn: (h: CellEditorHarness) => T): Promise<T> {
  return page.evaluate(`(${fn.toString()})(globalThis.cellEditorHarness)`) as Promise<T>;
}

/** Replaces the text of cell `i` by typing, as a person would (select all, then type). */
async function typeInto(i: number, text: string) {
  await page.click(`${cell(i)} .view-lines`);
  await page.keyboard.press(`${MOD}+A`);
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}

/** The labels of the open suggest widget's rows, once one matching `expected` shows. */
async function suggestions(expected: string): Promise<string[]> {
  const row = page.locator(".suggest-widget.visible .monaco-list-row", { hasText: expected }).first();
  await row.waitFor({ timeout: 30_000 });
  return page.$$eval(".suggest-widget.visible .monaco-list-row .label-name", (els) => els.map((e) => e.textContent ?? ""));
}

async function closeSuggestions() {
  await page.keyboard.press("Escape");
  await page.locator(".suggest-widget.visible").waitFor({ state: "detached", timeout: 5000 }).catch(() => undefined);
}

/** The text cell `i` shows (Monaco renders spaces as no-break spaces). */
async function text(i: number): Promise<string> {
  return (await page.locator(`${cell(i)} .view-lines`).innerText()).replace(/\u00a0/g, " ");
}

/** Page coordinates of a position (1-based line and column) in cell `i`'s editor. */
function pointAt(i: number, lineNumber: number, column: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ([n, line, col]) => {
      const m = (globalThis as unknown as { monaco: typeof import("monaco-editor") }).monaco;
      const editor = m.editor.getEditors().find((e) => e.getModel()?.uri.path.endsWith(`/cell-${n}.ts`))!;
      const at = editor.getScrolledVisiblePosition({ lineNumber: line, column: col })!;
      const box = editor.getDomNode()!.getBoundingClientRect();
      return { x: box.left + at.left + 2, y: box.top + at.top + at.height / 2 };
    },
    [i, lineNumber, column] as const,
  );
}

/** Markers the cell type check put on cell `i`'s model. */
function markers(i: number): Promise<{ line: number; message: string; code: string }[]> {
  return page.evaluate((n) => {
    const m = (globalThis as unknown as { monaco: typeof import("monaco-editor") }).monaco;
    const model = m.editor.getModels().find((x) => x.uri.scheme === "zoetrope-cell" && x.uri.path.endsWith(`/cell-${n}.ts`));
    if (!model) return [];
    return m.editor
      .getModelMarkers({ resource: model.uri, owner: "zoetrope-ts" })
      .map((k) => ({ line: k.startLineNumber, message: k.message, code: String(k.code ?? "") }));
  }, i);
}

beforeAll(async () => {
  buildMonaco(path.join(ROOT, "public", "monaco"));
  server = await serveBundle(path.join(import.meta.dirname, "pages", "cell-editor-entry.tsx"), {
    title: "cell editor",
    trees: { "/monaco/": path.join(ROOT, "public", "monaco") },
  });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  // Context-wide: workers' requests (importScripts of Monaco's workers) land here too.
  context.on("request", (r) => requests.push(r.url()));
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("CellEditor", () => {
  it("shows both cells as Monaco editors", async () => {
    const started = Date.now();
    await page.goto(server.url);
    await page.locator(`${cell(0)} .monaco-editor`).waitFor();
    await page.locator(`${cell(1)} .monaco-editor`).waitFor();
    console.log(`time to first editor: ${Date.now() - started} ms (navigation to both editors shown)`);
    expect(await text(0)).toBe("const cfg = config({ lr: 2e-4 });");
    // One line of code: the editor is about one line tall, with no inner scrollbar.
    const height = await page.locator(`${cell(0)} .monaco-editor`).evaluate((e) => e.getBoundingClientRect().height);
    expect(height).toBeGreaterThan(15);
    expect(height).toBeLessThan(40);
  });

  it("marks a type error with a squiggle, and a correct cell with none", async () => {
    await typeInto(1, 'const x: number = "s";');
    const typed = Date.now();
    await page.locator(`${cell(1)} .squiggly-error`).first().waitFor({ timeout: 60_000 });
    const sinceLoad = await page.evaluate(() => performance.now());
    console.log(
      `time to first diagnostics: ${Date.now() - typed} ms from the last keystroke (${CHECK_DELAY_MS} ms of it the typing pause; ` +
        `TypeScript worker cold), ${sinceLoad.toFixed(0)} ms since the page started`,
    );
    const found = await markers(1);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 1, code: "2322" });
    expect(found[0].message).toContain("not assignable to type 'number'");

    // Uses the cell above, a global, top-level await, and redeclares cell 0's name (the kernel allows that).
    await typeInto(1, "const y: number = cfg.lr * 2;\nconst t = tf.scalar(y);\nawait Promise.resolve(t);\nconst cfg = 1;");
    const retyped = Date.now();
    await expect.poll(() => page.locator(`${cell(1)} .squiggly-error`).count(), { timeout: 30_000, interval: 20 }).toBe(0);
    console.log(`diagnostics after an edit: ${Date.now() - retyped} ms from the last keystroke to the squiggle gone (worker warm)`);
    await page.waitForTimeout(600); // one more check period: nothing comes back
    expect(await markers(1)).toEqual([]);
    expect(await markers(0)).toEqual([]);
    expect(await page.locator(`${cell(0)} .squiggly-error`).count()).toBe(0);
  });

  it("completes the names of the cell above: cfg. offers lr", async () => {
    await typeInto(1, "cfg.");
    const labels = await suggestions("lr");
    expect(labels).toContain("lr");
    await closeSuggestions();
  });

  it("completes the globals: tf. offers tensor, gan. offers createModel", async () => {
    await typeInto(1, "tf.tens");
    expect(await suggestions("tensor")).toContain("tensor");
    await closeSuggestions();
    await typeInto(1, "gan.createMo");
    expect(await suggestions("createModel")).toContain("createModel");
    await closeSuggestions();
    expect(await harness((h) => h.events.filter((e) => e.startsWith("escape")))).toEqual([]); // Esc closed the list only
  });

  it("follows the cell above: changing it rechecks this one", async () => {
    await typeInto(1, "const label: string = cfg.lr;");
    await expect.poll(() => markers(1), { timeout: 30_000 }).toEqual([expect.objectContaining({ line: 1, code: "2322" })]);
    await harness((h) => h.setValue(0, 'const cfg = config({ lr: "fast" });'));
    await expect.poll(() => markers(1), { timeout: 30_000 }).toEqual([]);
    await harness((h) => h.setValue(0, "const cfg = config({ lr: 2e-4 });"));
    await expect.poll(() => markers(1), { timeout: 30_000 }).toHaveLength(1);
  });

  it("leaves an unclosed brace in the cell above to that cell", async () => {
    await typeInto(1, "const q = 1;");
    await harness((h) => h.setValue(0, "const cfg = config({ lr: 2e-4 });\nif (cfg.lr > 0) {"));
    await expect.poll(() => markers(0), { timeout: 30_000 }).toEqual([expect.objectContaining({ code: "1005" })]); // '}' expected
    await page.waitForTimeout(600);
    expect(await markers(1)).toEqual([]);
    await harness((h) => h.setValue(0, "const cfg = config({ lr: 2e-4 });"));
    await expect.poll(() => markers(0), { timeout: 30_000 }).toEqual([]);
  });

  it("shows a call's signature while typing its arguments", async () => {
    await typeInto(1, "config(");
    const hints = page.locator(".parameter-hints-widget.visible");
    await hints.waitFor({ timeout: 15_000 });
    const shown = await hints.innerText();
    expect(shown).toContain("config(defaults: Record<string, ConfigValue>)");
    expect(shown).toContain("The hyperparameters"); // cell-api.ts's doc comment
    await page.keyboard.press("Escape");
  });

  it("shows the type of cfg on hover", async () => {
    await typeInto(1, "const rate = cfg.lr;");
    const { x, y } = await pointAt(1, 1, "const rate = c".length); // on the c of cfg
    await page.mouse.move(x, y);
    const hover = page.locator(".monaco-hover", { hasText: "lr: number" }).first();
    await hover.waitFor({ timeout: 15_000 });
    expect(await hover.innerText()).toContain("const cfg: {");
    await page.mouse.move(0, 0);
  });

  it("hands the notebook's keys to the page", async () => {
    await typeInto(1, "const a = 1;");
    await page.keyboard.press("End");
    await expect.poll(() => harness((h) => h.values[1])).toBe("const a = 1;");
    await harness((h) => h.events.splice(0));
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.press(`${MOD}+Enter`);
    await page.keyboard.press("Alt+Enter");
    await page.keyboard.press(`${MOD}+S`);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Escape");
    const events = await harness((h) => h.events.filter((e) => !e.startsWith("focus")));
    expect(events).toEqual(["run:1:run-next", "run:1:run", "run:1:run-insert", "save:1", "leave:1:up", "escape:1"]);
    expect(await harness((h) => h.values[1])).toBe("const a = 1;"); // no newline went in
    expect(await page.locator(`${cell(1)} .view-line`).count()).toBe(1);
  });

  it("keys stay with the focused cell: Shift+Enter in cell 0 runs cell 0", async () => {
    await page.click(`${cell(0)} .view-lines`);
    await harness((h) => h.events.splice(0));
    await page.keyboard.press("Shift+Enter");
    expect(await harness((h) => h.events.filter((e) => e.startsWith("run")))).toEqual(["run:0:run-next"]);
  });

  it("takes a value from the page and highlights an error line until the next edit", async () => {
    await harness((h) => h.setValue(1, "const a = 1;\nconst b = a.foo;\nconst c = 3;"));
    await expect.poll(() => page.locator(`${cell(1)} .view-line`).count()).toBe(3);
    await harness((h) => h.setErrorLine(1, 2));
    const marked = page.locator(`${cell(1)} [class*="errorLine"]`);
    await marked.first().waitFor();
    await page.locator(`${cell(1)} .squiggly-error`).first().waitFor({ timeout: 30_000 }); // a.foo: no such property
    await page.screenshot({ path: resultsPath("cell-editor.png") });
    await page.click(`${cell(1)} .view-lines`);
    await page.keyboard.type("x");
    await expect.poll(() => marked.count()).toBe(0);
  });

  it("answers nothing, and logs no error, for a cell deleted while the TypeScript worker is asked about it", async () => {
    await typeInto(1, "const rate = cfg");
    await page.locator(`${cell(1)} .squiggly-error`).first().waitFor({ state: "detached" });
    // A second hover and completion provider, asked first (the newest is), deletes the cell just after the cell's
    // own provider has sent its question to the worker and before the answer can come back.
    await page.evaluate(() => {
      const m = (globalThis as unknown as { monaco: typeof import("monaco-editor") }).monaco;
      const h = (globalThis as unknown as { cellEditorHarness: CellEditorHarness }).cellEditorHarness;
      const deleteCell = () => {
        queueMicrotask(() => h.setCells([h.values[0]]));
        return undefined;
      };
      const spies = [
        m.languages.registerHoverProvider("zoetrope-ts", { provideHover: deleteCell }),
        m.languages.registerCompletionItemProvider("zoetrope-ts", { triggerCharacters: ["."], provideCompletionItems: deleteCell }),
      ];
      (globalThis as unknown as { disposeSpies: () => void }).disposeSpies = () => spies.forEach((s) => s.dispose());
    });
    await page.keyboard.type("."); // asks for completions
    await page.locator(cell(1)).waitFor({ state: "detached" });
    await page.waitForTimeout(1000); // the worker's answers come back to deleted contexts
    await harness((h) => h.setCells([h.values[0], "const rate = cfg.lr;"]));
    await page.locator(`${cell(1)} .monaco-editor`).waitFor();
    // Asks for a hover; the new editor may still be laying out, so point again until a hover was asked.
    await expect
      .poll(
        async () => {
          if ((await page.locator(cell(1)).count()) === 0) return 0;
          const { x, y } = await pointAt(1, 1, "const rate = c".length);
          await page.mouse.move(x, y, { steps: 2 });
          return page.locator(cell(1)).count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(0);
    await page.waitForTimeout(1000);
    await page.mouse.move(0, 0);
    await page.evaluate(() => (globalThis as unknown as { disposeSpies: () => void }).disposeSpies());
    expect(errors).toEqual([]);
    await harness((h) => h.setCells([h.values[0], ""]));
    await page.locator(`${cell(1)} .monaco-editor`).waitFor();
  });

  it("fetches nothing from any other origin", async () => {
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:") && !u.startsWith("data:"));
    expect(foreign).toEqual([]);
    // The log does see the workers' own loads (the TypeScript worker imports its script from /monaco).
    expect(requests.some((u) => u.startsWith(`${origin}/monaco/vs/assets/ts.worker`))).toBe(true);
    console.log(`requests: ${requests.length}, all from ${origin} (or blob:/data:)`);
    expect(errors).toEqual([]);
  });
});
