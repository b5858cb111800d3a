// Test data sent through the REST API the way a training worker would: runs, metric batches, GIF samples.
import * as gifencModule from "gifenc";

type Gifenc = Pick<typeof gifencModule, "GIFEncoder">;
// Node loads gifenc's CommonJS build, whose only ESM export is `default`; a bundler would give named exports.
const gifenc: Gifenc = typeof gifencModule.GIFEncoder === "function" ? gifencModule : (gifencModule.default as Gifenc);

export async function postJson<T>(base: string, path: string, body: unknown, method = "POST"): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A new experiment holding `notebook`; its slug. */
export async function createExperiment(base: string, title: string, notebook: string): Promise<string> {
  return (await postJson<{ slug: string }>(base, "/api/experiments", { title, notebook })).slug;
}

/**
 * A notebook's text with values of its `config({ … })` replaced: each `key: value,` line takes the new value. Throws
 * when the notebook has no such key, so a renamed setting cannot leave a test or a benchmark on the old defaults.
 */
export function withConfig(notebook: string, values: Record<string, string | number>): string {
  for (const [key, value] of Object.entries(values)) {
    const pattern = new RegExp(`(\\n\\s*${key}: )[^,\\n]+,`);
    if (!pattern.test(notebook)) throw new Error(`the notebook's config has no ${key}`);
    notebook = notebook.replace(pattern, `$1${value},`);
  }
  return notebook;
}

export async function postSample(base: string, runId: string, name: string, step: number, gif: Uint8Array) {
  const form = new FormData();
  form.set("name", name);
  form.set("step", String(step));
  form.set("file", new Blob([gif.slice()], { type: "image/gif" }), `${name}-${step}.gif`);
  const res = await fetch(`${base}/api/runs/${runId}/samples`, { method: "POST", body: form });
  if (!res.ok) throw new Error(`POST sample: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; url: string };
}

/** A real looping GIF: a bright 12×12 square crossing a 64×64 gray gradient over 16 frames. */
export function movingSquareGif(phase = 0, size = 64, frames = 16): Uint8Array {
  const palette = Array.from({ length: 256 }, (_, i) => [i, i, i]);
  const gif = gifenc.GIFEncoder();
  for (let t = 0; t < frames; t++) {
    const index = new Uint8Array(size * size); // [H, W] palette indices = gray levels
    const x0 = Math.round(((t + phase) % frames) * ((size - 12) / (frames - 1)));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inSquare = x >= x0 && x < x0 + 12 && y >= 26 && y < 38;
        index[y * size + x] = inSquare ? 255 : Math.round((x + y) * 0.5);
      }
    }
    gif.writeFrame(index, size, size, { palette: t === 0 ? palette : undefined, delay: 80, repeat: 0 });
  }
  gif.finish();
  return gif.bytes();
}

/** GAN-like losses over `steps` steps; the discriminator loss diverges to null (NaN) at one step. */
export function lossSeries(steps: number, nullAt: number) {
  const s = Array.from({ length: steps }, (_, i) => i * 10);
  const noise = (i: number) => Math.sin(i * 12.9898) * 0.15;
  return {
    "loss/d": { steps: s, values: s.map((_, i) => (i === nullAt ? null : 1.4 * Math.exp(-i / 60) + 0.3 + noise(i))) },
    "loss/g": { steps: s, values: s.map((_, i) => 0.7 + 0.8 * (1 - Math.exp(-i / 40)) + noise(i + 7)) },
  };
}
