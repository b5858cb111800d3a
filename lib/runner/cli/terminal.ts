// Kernel events as terminal text: cell headers, what cells print and show, progress bars (redrawn in place on a
// terminal, a line per tenth in a log file), samples and warnings. Videos and charts are written to --out.
import fs from "node:fs";
import path from "node:path";
import { MIME } from "../display";
import { isErrorOutput, type CellOutput, type JsonValue, type KernelEvent, type Progress } from "../protocol";

export interface TerminalOptions {
  write: (text: string) => void;
  /** Redraw progress bars in place (a TTY). */
  live: boolean;
  /** Folder for videos, images and charts; without one they are described in a line. */
  outDir?: string;
  /** Cell ids → "cell 3 «Train»" */
  cellLabel: (cellId: string) => string;
}

export class TerminalView {
  private barShown = false;
  private readonly lastTenth = new Map<string, number>();
  private files = 0;

  constructor(private readonly opts: TerminalOptions) {}

  handle(event: KernelEvent): void {
    switch (event.op) {
      case "cell-started":
        this.line(`▶ ${this.opts.cellLabel(event.cellId)}`);
        break;
      case "output":
        if (!isErrorOutput(event.output)) this.output(event.output);
        break;
      case "progress":
        this.progress(event.progress);
        break;
      case "sample":
        this.line(`  sample "${event.key}" at step ${event.step}${this.save(event.data, `${event.key}-${event.step}.gif`)}`);
        break;
      case "checkpoint":
        this.line(`  checkpoint at step ${event.step}`);
        break;
      case "warning":
        this.line(`! ${event.message}`);
        break;
      case "cell-finished":
        this.endBar();
        if (event.outcome === "ok") this.line(`  done in ${seconds(event.elapsedMs)}`);
        break;
      case "kernel-info":
        this.line(`backend: ${event.backend}${event.adapter ? ` (${event.adapter})` : ""}`);
        if (event.fallbackReason) this.line(`  (fell back: ${event.fallbackReason})`);
        break;
      case "run-started":
        this.line(`run: ${event.name} (${event.runId})`);
        break;
      default:
        break; // metrics, status and config are for the summary and the page, not for the scroll
    }
  }

  private output(out: CellOutput): void {
    const { mime, data } = out;
    if (mime === MIME.text || mime === MIME.markdown) {
      this.text(String(data));
    } else if (mime === MIME.gif || mime === MIME.png) {
      const ext = mime === MIME.gif ? "gif" : "png";
      this.line(`  [${ext === "gif" ? "video" : "image"}${this.save(data as Uint8Array, `output-${++this.files}.${ext}`)}]`);
    } else if (mime === MIME.tensor) {
      this.line(`  ${describeTensor(data as Record<string, JsonValue>)}`);
    } else if (mime === MIME.table) {
      this.text(formatTable(data as { columns: string[]; rows: JsonValue[][] }));
    } else if (mime === MIME.plotly) {
      const traces = (data as { data: unknown[] }).data.length;
      const file = this.save(new TextEncoder().encode(JSON.stringify(data)), `chart-${++this.files}.plotly.json`);
      this.line(`  [chart, ${traces} trace${traces === 1 ? "" : "s"}${file}]`);
    } else {
      // One line: a terminal scrolls away anything longer, and the page shows the whole value.
      const json = JSON.stringify(data);
      this.line(`  ${json.length > 300 ? `${json.slice(0, 300)}… (${json.length} characters)` : json}`);
    }
  }

  /** " → file" when there is an output folder, else the size. */
  private save(data: Uint8Array, name: string): string {
    if (!this.opts.outDir) return `, ${(data.byteLength / 1024).toFixed(1)} KB; --out DIR saves it`;
    fs.mkdirSync(this.opts.outDir, { recursive: true });
    const file = path.join(this.opts.outDir, name.replace(/[^\w.-]/g, "_"));
    fs.writeFileSync(file, data);
    return ` → ${file}`;
  }

  private progress(p: Progress): void {
    const text = formatProgress(p);
    if (this.opts.live) {
      this.opts.write(`\r\x1b[2K  ${text}`);
      this.barShown = true;
      return;
    }
    // A log file gets a line at the start and at each tenth.
    const tenth = p.total ? Math.floor((10 * p.done) / p.total) : 0;
    if (this.lastTenth.get(p.id) === tenth) return;
    this.lastTenth.set(p.id, tenth);
    this.line(`  ${text}`);
  }

  private endBar(): void {
    if (this.barShown) this.opts.write("\n");
    this.barShown = false;
  }

  private text(text: string): void {
    this.endBar();
    const body = text.endsWith("\n") ? text : `${text}\n`;
    this.opts.write(body.replace(/^(?=.)/gm, "  "));
  }

  private line(text: string): void {
    this.text(text);
  }
}

export function formatProgress(p: Progress): string {
  const label = p.label ? `${p.label} ` : "";
  const count = p.total !== undefined ? `${p.done}/${p.total}` : `${p.done}`;
  const width = 24;
  const bar = p.total ? `[${"#".repeat(Math.round((width * Math.min(p.done, p.total)) / p.total)).padEnd(width, "-")}] ` : "";
  const rate = p.rate !== undefined ? ` ${p.rate >= 10 ? p.rate.toFixed(0) : p.rate.toFixed(2)}/s` : "";
  const eta = p.eta !== undefined && p.total !== undefined && p.done < p.total ? ` ETA ${clock(p.eta)}` : "";
  return `${label}${bar}${count}${rate}${eta}`;
}

function clock(s: number): string {
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export const seconds = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

function describeTensor(t: Record<string, JsonValue>): string {
  const head = `Tensor ${t.dtype} [${(t.shape as number[]).join(",")}]`;
  const stats = ["min", "max", "mean", "std"].map((k) => `${k} ${fmt(t[k])}`).join(", ");
  const nan = t.nan ? `, ${t.nan} NaN` : "";
  const values = (t.size as number) <= 24 ? `\n  ${JSON.stringify(t.values)}` : "";
  return `${head}: ${stats}${nan}${values}`;
}

const fmt = (v: JsonValue) => (typeof v === "number" ? Number(v.toPrecision(4)).toString() : String(v));

/** The first 20 rows, columns padded to their widest cell. */
export function formatTable({ columns, rows }: { columns: string[]; rows: JsonValue[][] }, maxRows = 20): string {
  const cell = (v: JsonValue) => (typeof v === "number" ? fmt(v) : typeof v === "string" ? v : JSON.stringify(v));
  const shown = rows.slice(0, maxRows).map((r) => r.map(cell));
  const widths = columns.map((c, i) => Math.min(40, Math.max(c.length, ...shown.map((r) => (r[i] ?? "").length))));
  const line = (cells: string[]) => cells.map((c, i) => c.slice(0, 40).padEnd(widths[i])).join("  ").trimEnd();
  const more = rows.length > maxRows ? `\n… ${rows.length - maxRows} more rows` : "";
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...shown.map(line)].join("\n") + more;
}
