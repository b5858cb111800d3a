// A code cell's hidden context model: `export {};`, the cells above, then the cell's own text. Checked as one
// module file, its later lines see the names the earlier cells declare, and top-level await type-checks. The cell
// is the tail of the file, so a cell position maps to a context position by a line shift and nothing else.
import type * as Monaco from "monaco-editor";
import { cellDiagnostics, flattenMessage, type TsDiagnostic } from "./diagnostics";
import type { MonacoApi } from "./load-monaco";

type TextModel = Monaco.editor.ITextModel;
type TypeScriptWorker = Monaco.typescript.TypeScriptWorker;

/** Owner of the markers a cell gets from its type check. */
export const MARKER_OWNER = "zoetrope-ts";
/** How long typing pauses before the cell is checked. */
const CHECK_DELAY_MS = 300;

const contexts = new Map<string, CellContext>();
let created = 0;
/** The end of the page's queue of type checks. */
let checking: Promise<void> = Promise.resolve();

/** The context of a cell model, when it has one. */
export function contextOf(model: TextModel): CellContext | undefined {
  return contexts.get(model.uri.toString());
}

function prefixOf(codeBefore: readonly string[]): string {
  // Each earlier cell on lines of its own; \r\n as \n, as the context model stores it.
  return ["export {};", ...codeBefore, ""].join("\n").replace(/\r\n?/g, "\n");
}

function severity(monaco: MonacoApi, category: number): Monaco.MarkerSeverity {
  // ts.DiagnosticCategory: Warning 0, Error 1, Suggestion 2, Message 3
  const { MarkerSeverity } = monaco;
  return [MarkerSeverity.Warning, MarkerSeverity.Error, MarkerSeverity.Hint, MarkerSeverity.Info][category] ?? MarkerSeverity.Info;
}

export class CellContext {
  readonly model: TextModel;
  private prefix: string;
  private prefixLines: number;
  private readonly subscriptions: Monaco.IDisposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private checks = 0;

  constructor(
    private readonly monaco: MonacoApi,
    /** Settles once the TypeScript worker has its declarations and options (cell-language.ts). */
    private readonly ready: Promise<void>,
    readonly cell: TextModel,
    codeBefore: readonly string[],
  ) {
    this.prefix = prefixOf(codeBefore);
    this.prefixLines = this.prefix.split("\n").length - 1;
    const uri = monaco.Uri.parse(`file:///cells/${++created}.ts`);
    this.model = monaco.editor.createModel(this.prefix + cell.getValue(), "typescript", uri);
    this.model.setEOL(monaco.editor.EndOfLineSequence.LF);
    contexts.set(cell.uri.toString(), this);
    this.subscriptions.push(cell.onDidChangeContent((e) => this.follow(e)));
    this.scheduleCheck(0);
  }

  /** Replaces the cells above (a no-op when they are unchanged). Only the part that differs is edited. */
  setCodeBefore(codeBefore: readonly string[]): void {
    const prefix = prefixOf(codeBefore);
    if (prefix === this.prefix) return;
    const old = this.prefix;
    let head = 0;
    while (head < old.length && head < prefix.length && old[head] === prefix[head]) head++;
    let tail = 0;
    while (tail < old.length - head && tail < prefix.length - head && old[old.length - 1 - tail] === prefix[prefix.length - 1 - tail]) tail++;
    const from = this.model.getPositionAt(head);
    const to = this.model.getPositionAt(old.length - tail);
    this.model.applyEdits([{ range: { startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column }, text: prefix.slice(head, prefix.length - tail) }]);
    this.prefix = prefix;
    this.prefixLines = prefix.split("\n").length - 1;
    this.scheduleCheck(CHECK_DELAY_MS);
  }

  /** Offset in the context model of a cell position. */
  offsetAt(position: Monaco.IPosition): number {
    return this.model.getOffsetAt({ lineNumber: position.lineNumber + this.prefixLines, column: position.column });
  }

  /** Offset in the context model where the cell begins. */
  get cellStart(): number {
    return this.prefix.length;
  }

  /** The cell range of a span of the context model, or undefined when it starts before the cell. */
  rangeOf(start: number, length: number): Monaco.IRange | undefined {
    if (start < this.cellStart) return undefined;
    const from = this.model.getPositionAt(start);
    const to = this.model.getPositionAt(start + length);
    return {
      startLineNumber: from.lineNumber - this.prefixLines,
      startColumn: from.column,
      endLineNumber: to.lineNumber - this.prefixLines,
      endColumn: to.column,
    };
  }

  /** The TypeScript worker, synced with this context model; undefined when the language could not be set up. */
  private async worker(): Promise<TypeScriptWorker | undefined> {
    if (!(await this.ready.then(() => true, () => false))) return undefined;
    const forModels = await this.monaco.typescript.getTypeScriptWorker();
    return forModels(this.model.uri);
  }

  /**
   * Asks the TypeScript worker about this context model. Undefined when the language could not be set up, or when
   * the cell was deleted before the answer came: the worker then no longer knows the file and throws, which is no
   * error of the page's.
   */
  async ask<T>(question: (worker: TypeScriptWorker, file: string) => Promise<T>): Promise<T | undefined> {
    try {
      const worker = this.disposed ? undefined : await this.worker();
      if (!worker || this.disposed) return undefined;
      const answer = await question(worker, this.model.uri.toString());
      return this.disposed ? undefined : answer;
    } catch (err) {
      if (this.disposed) return undefined;
      throw err;
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    if (contexts.get(this.cell.uri.toString()) === this) contexts.delete(this.cell.uri.toString());
    if (!this.cell.isDisposed()) this.monaco.editor.setModelMarkers(this.cell, MARKER_OWNER, []);
    this.model.dispose();
  }

  /** Applies the cell's edits to the tail of the context model. */
  private follow(e: Monaco.editor.IModelContentChangedEvent): void {
    if (e.isFlush || e.isEolChange) {
      const cellRange = { ...this.model.getFullModelRange(), startLineNumber: this.prefixLines + 1, startColumn: 1 };
      this.model.applyEdits([{ range: cellRange, text: this.cell.getValue(this.monaco.editor.EndOfLinePreference.LF) }]);
    } else {
      // The changes are listed from the end of the text backwards, each in the coordinates before any of them.
      this.model.applyEdits(
        e.changes.map((c) => ({
          range: {
            startLineNumber: c.range.startLineNumber + this.prefixLines,
            startColumn: c.range.startColumn,
            endLineNumber: c.range.endLineNumber + this.prefixLines,
            endColumn: c.range.endColumn,
          },
          text: c.text,
        })),
      );
    }
    this.scheduleCheck(CHECK_DELAY_MS);
  }

  private scheduleCheck(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // One check at a time for the whole page, so a completion waits behind one check at most.
      checking = checking.then(() => this.check()).catch((err: unknown) => console.warn("cell type check failed:", err));
    }, delay);
  }

  /** Type-checks the context model and shows the cell's part as markers on the cell. */
  private async check(): Promise<void> {
    const check = ++this.checks;
    const version = this.model.getVersionId();
    let answer: [TsDiagnostic[], TsDiagnostic[]] | undefined;
    try {
      answer = await this.ask((worker, file) => Promise.all([worker.getSyntacticDiagnostics(file), worker.getSemanticDiagnostics(file)]));
    } catch (err) {
      // A restarted worker rejects pending calls; the next edit checks again.
      console.warn("cell type check failed:", err);
      return;
    }
    if (!answer) return;
    const [syntactic, semantic] = answer;
    // A newer check, or an edit since (which schedules one), makes this one stale.
    if (this.disposed || check !== this.checks || version !== this.model.getVersionId() || this.cell.isDisposed()) return;
    const markers = cellDiagnostics(syntactic, semantic, this.cellStart, this.model.getValueLength()).flatMap((d): Monaco.editor.IMarkerData[] => {
      const range = this.rangeOf(d.start ?? 0, Math.max(d.length ?? 1, 1));
      if (!range) return [];
      const tags: Monaco.MarkerTag[] = [];
      if (d.reportsUnnecessary) tags.push(this.monaco.MarkerTag.Unnecessary);
      if (d.reportsDeprecated) tags.push(this.monaco.MarkerTag.Deprecated);
      return [{ ...range, severity: severity(this.monaco, d.category), message: flattenMessage(d.messageText), code: String(d.code), source: "ts", tags }];
    });
    this.monaco.editor.setModelMarkers(this.cell, MARKER_OWNER, markers);
  }
}
