// lib/gan/video/webcodecs in real headless Chromium: a tensor video encoded to MP4 and to WebM (WebCodecs'
// VideoEncoder, mediabunny muxing) must be a real file of that container that decodes back to every frame, at
// the right size, with the moving square where it was drawn.
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "./helpers";
import { serveBundle, type PageServer } from "./page-server";
import type { WebCodecsReport } from "./pages/webcodecs-entry";

let server: PageServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveBundle(path.join(import.meta.dirname, "pages", "webcodecs-entry.ts"), { title: "webcodecs" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const ascii = (bytes: number[]) => String.fromCharCode(...bytes);

it("encodes a tensor video to MP4 and WebM files that decode back to the same frames", { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => "runWebCodecsCheck" in globalThis);
  const report = await page.evaluate(() =>
    (globalThis as unknown as { runWebCodecsCheck: () => Promise<WebCodecsReport> }).runWebCodecsCheck(),
  );
  expect(errors).toEqual([]);
  expect(report.secure).toBe(true);
  expect(report.available).toBe(true);

  for (const r of report.results) {
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}`;
    console.log(
      `${r.container}: ${r.mime}, ${r.codec}, ${r.bytes} bytes, encode ${r.encodeMs.toFixed(0)} ms, ` +
        `decode ${r.decodeMs.toFixed(0)} ms, ${r.frames} frames ${r.width}×${r.height}, ` +
        `square ${range(r.inside)}, background ${range(r.outside)}`,
    );
  }
  const [mp4, webm] = report.results;
  expect(mp4.container).toBe("mp4");
  expect(mp4.mime).toBe("video/mp4");
  expect(ascii(mp4.magic.slice(4, 8))).toBe("ftyp"); // ISO BMFF: [size][ftyp]
  expect(webm.container).toBe("webm");
  expect(webm.mime).toBe("video/webm");
  expect(webm.magic.slice(0, 4)).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML header

  for (const r of [mp4, webm]) {
    expect(r.bytes, r.container).toBeGreaterThan(100);
    expect([r.frames, r.width, r.height], r.container).toEqual([16, 32, 32]);
    // Each decoded frame t shows the square where source frame t has it: frames are neither dropped, repeated nor
    // reordered (the square moves 1 pixel a frame, so a neighbour's place is only 49/64 covered, about 195).
    expect(r.matches, r.container).toEqual(Array.from({ length: 16 }, (_, t) => t));
    // Drawn as 255 on 0: a lossy codec may blur the edges, but not by this much.
    for (let t = 0; t < r.frames; t++) {
      expect(r.inside[t], `${r.container} frame ${t} square`).toBeGreaterThan(200);
      expect(r.outside[t], `${r.container} frame ${t} background`).toBeLessThan(30);
    }
  }
});
