// How smooth a page stays while a model trains, measured in the page itself: every main-thread task over 50 ms (the
// Long Tasks API), and how long each key typed into a cell took to show (Event Timing: from the key's timestamp to
// the paint after its handlers). Shared by the notebook browser test and `npm run bench:page`; figures to report,
// never timed assertions.
import type { Locator, Page } from "playwright-core";

export interface SmoothnessReport {
  /** Main-thread tasks over 50 ms since `watchMainThread`: [start, duration] in ms, start from the watch. */
  longTasks: [number, number][];
  worstTaskMs: number;
  keysTyped: number;
  /** The slowest key from keydown to its paint; Event Timing reports only those over 16 ms, so 0 means all under. */
  worstKeyMs: number;
  /** Keys that took over 50 ms to show: [when, duration] in ms. */
  slowKeys: [number, number][];
}

interface Watch {
  since: number;
  longTasks: [number, number][];
  keys: [number, number][];
}

/** Starts recording long tasks and key latencies (call before Run all). */
export async function watchMainThread(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w: Watch = { since: performance.now(), longTasks: [], keys: [] };
    (window as unknown as { smoothness: Watch }).smoothness = w;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push([e.startTime - w.since, e.duration]))).observe({
      type: "longtask",
    });
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => e.name === "keydown" && e.startTime >= w.since && w.keys.push([e.startTime - w.since, e.duration])),
    ).observe({ type: "event", durationThreshold: 16 } as PerformanceObserverInit);
  });
}

/** Types `text` at the end of a cell's editor, one key every `everyMs`, as a person would while a model trains. */
export async function typeInto(page: Page, cell: Locator, text: string, everyMs = 80): Promise<number> {
  await cell.evaluate((el) => el.scrollIntoView({ block: "center" }));
  await cell.locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text, { delay: everyMs });
  return text.length;
}

/** Milliseconds since `watchMainThread`, to report a stretch of it (`mainThreadReport`'s `from`). */
export function watchTime(page: Page): Promise<number> {
  return page.evaluate(() => performance.now() - (window as unknown as { smoothness: Watch }).smoothness.since);
}

/** What was recorded since `from` (ms since the watch began; 0: all of it). */
export async function mainThreadReport(page: Page, keysTyped: number, from = 0): Promise<SmoothnessReport> {
  const w = await page.evaluate(() => (window as unknown as { smoothness: Watch }).smoothness);
  const longTasks = w.longTasks.filter(([s]) => s >= from);
  const keys = w.keys.filter(([s]) => s >= from);
  return {
    longTasks,
    worstTaskMs: Math.max(0, ...longTasks.map(([, d]) => d)),
    keysTyped,
    worstKeyMs: Math.max(0, ...keys.map(([, d]) => d)),
    slowKeys: keys.filter(([, d]) => d > 50),
  };
}

const list = (xs: [number, number][]) => xs.map(([s, d]) => `${d.toFixed(0)} ms at +${(s / 1000).toFixed(1)} s`).join(", ");

export function formatTasks(r: SmoothnessReport): string {
  const n = r.longTasks.length;
  return `main-thread tasks over 50 ms: ${n}${n ? `, worst ${r.worstTaskMs.toFixed(0)} ms [${list(r.longTasks)}]` : ""}`;
}

export function formatKeys(r: SmoothnessReport): string {
  const worst = r.worstKeyMs > 0 ? `worst ${r.worstKeyMs.toFixed(0)} ms` : "all under 16 ms";
  const n = r.slowKeys.length;
  return `${r.keysTyped} keys typed: ${worst}, ${n} over 50 ms${n ? ` [${list(r.slowKeys)}]` : ""}`;
}

export function formatSmoothness(r: SmoothnessReport): string {
  return `${formatTasks(r)}; ${formatKeys(r)}`;
}
