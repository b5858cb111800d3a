// Pure helpers of the cell outputs: how a progress bar, a byte count and a run of console chunks read. No DOM, so
// they are tested in Node.
import type { CellOutput, JsonValue, Progress } from "@/lib/runner/protocol";

/** "12.3 it/s", "850 it/s", "0.25 it/s", "4.1 s/it" below one step every two seconds; "" when unknown. */
export function formatRate(rate: number | undefined): string {
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return "";
  if (rate < 0.5) return `${trim(1 / rate)} s/it`;
  return `${trim(rate)} it/s`;
}

/** Three significant digits at most, no trailing zeros, no exponent: 12.3, 850, 0.25, 1234. */
function trim(x: number): string {
  if (x >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** Seconds as a clock: "0:42", "12:05", "1:02:03"; "" when unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** 0..100 with one decimal below 10% (so a long run visibly moves), null without a total. */
export function progressPercent(p: Progress): number | null {
  if (p.total === undefined || !(p.total > 0)) return null;
  const pct = Math.min(100, Math.max(0, (p.done / p.total) * 100));
  return pct < 10 ? Math.floor(pct * 10) / 10 : Math.floor(pct);
}

/** "340 / 1,000 · 34% · 12.3 it/s, 0:42 left"; without a total "340 · 12.3 it/s". */
export function progressText(p: Progress): string {
  const pct = progressPercent(p);
  const count = pct === null ? fmtInt(p.done) : `${fmtInt(p.done)} / ${fmtInt(p.total!)} · ${pct}%`;
  const rate = formatRate(p.rate);
  const done = p.total !== undefined && p.done >= p.total;
  const eta = done ? "" : formatEta(p.eta);
  const speed = [rate, eta && `${eta} left`].filter(Boolean).join(", ");
  return speed ? `${count} · ${speed}` : count;
}

const fmtInt = (n: number) => (Number.isInteger(n) ? n.toLocaleString("en") : String(n));

/** "812 B", "9.5 KB", "14 KB", "3.1 MB" (powers of 1024, one decimal below 10). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** An output as it is drawn: console chunks in a row on the same channel become one block of text. */
export type OutputItem =
  | { kind: "stream"; key: number; channel: "stdout" | "stderr"; text: string }
  | { kind: "output"; key: number; output: CellOutput };

/**
 * Merges consecutive stdout (or stderr) text chunks. An item's key is the index of its first output, so it stays
 * the same as outputs are appended (only the last item ever grows).
 */
export function groupOutputs(outputs: readonly CellOutput[]): OutputItem[] {
  const items: OutputItem[] = [];
  outputs.forEach((output, i) => {
    const channel = output.channel;
    const isStream = channel !== "display" && output.mime === "text/plain" && typeof output.data === "string";
    if (!isStream) {
      items.push({ kind: "output", key: i, output });
      return;
    }
    const last = items[items.length - 1];
    if (last?.kind === "stream" && last.channel === channel) last.text += output.data as string;
    else items.push({ kind: "stream", key: i, channel, text: output.data as string });
  });
  return items;
}

/**
 * The last `maxLines` lines of `text` and how many lines came before them, or all of it when it is short enough. A
 * training log's news is at its end, so that is the part kept in view.
 */
export function tailLines(text: string, maxLines: number): { shown: string; hidden: number } {
  // A final newline ends the last line; it does not start another.
  let at = text.endsWith("\n") ? text.length - 1 : text.length;
  for (let n = 0; n < maxLines; n++) {
    at = text.lastIndexOf("\n", at - 1);
    if (at === -1) return { shown: text, hidden: 0 };
  }
  let hidden = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) hidden++;
  return { shown: text.slice(at + 1), hidden };
}

/**
 * Nested tensor values the way NumPy prints them: the innermost rows on one line each, outer levels bracketed
 * over several lines. Numbers get 4 significant digits; "NaN" and "Infinity" (JSON's stand-ins) stay as they are.
 */
export function formatValues(values: JsonValue): string {
  const leaf = (v: JsonValue): string => {
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
    if (Array.isArray(v)) return `[${v.map(leaf).join(", ")}]`; // complex [re, im]
    return typeof v === "string" ? v : JSON.stringify(v);
  };
  const depth = (v: JsonValue): number => (Array.isArray(v) && v.length > 0 ? 1 + depth(v[0]) : Array.isArray(v) ? 1 : 0);
  const lines = (v: JsonValue, indent: string): string => {
    if (!Array.isArray(v) || depth(v) <= 1) return leaf(v);
    const inner = v.map((x) => lines(x, indent + " "));
    const sep = depth(v) > 2 ? ",\n\n" : ",\n";
    return `[${inner.map((s, i) => (i === 0 ? s : indent + " " + s)).join(sep)}]`;
  };
  return lines(values, "");
}

/** Width and height from a GIF's or PNG's header, or null when the bytes are neither (or too short). */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const gif = bytes.length >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46; // "GIF"
  if (gif) return { width: bytes[6] | (bytes[7] << 8), height: bytes[8] | (bytes[9] << 8) }; // little-endian
  const png = bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (!png) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) }; // IHDR, big-endian
}
