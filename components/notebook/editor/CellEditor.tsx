"use client";
// One cell's Monaco editor: grows with its text (no inner vertical scroll), knows the names of the cells above
// (cell-context.ts), and hands the notebook's keys (run, save, leave, move between cells) to the page.
import type * as Monaco from "monaco-editor";
import { useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from "react";
import { CellContext } from "./cell-context";
import { CELL_LANGUAGE, setUpCellLanguage } from "./cell-language";
import styles from "./CellEditor.module.css";
import { loadMonaco, type MonacoApi } from "./load-monaco";

export type RunMode = "run" | "run-next" | "run-insert";

export interface CellEditorHandle {
  /** Focuses the editor, first moving the cursor to the start or the end of the cell when `at` is given. */
  focus(at?: "start" | "end"): void;
}

export interface CellEditorProps {
  cellId: string;
  /** External changes (undo of a delete, a load from disk) replace the text; the editor's own echo is ignored. */
  value: string;
  language: "typescript" | "markdown";
  /** The code cells above this one, in order: their top-level names are in scope in this cell. */
  codeBefore: readonly string[];
  /** 1-based line of a runtime error in this cell, highlighted (whole line + glyph) until the next edit or run. */
  errorLine?: number;
  /** Focus the editor while true (when it turns true, and once the editor exists). */
  autoFocus?: boolean;
  onChange(value: string): void;
  onFocus?(): void;
  /** Esc pressed: the page switches to command mode (blur). */
  onEscape?(): void;
  /** Shift+Enter "run-next", Ctrl/Cmd+Enter "run", Alt+Enter "run-insert". No newline is inserted. */
  onRun?(mode: RunMode): void;
  /** Ctrl/Cmd+S; the browser's save dialog does not open. */
  onSave?(): void;
  /** ArrowUp on the first line / ArrowDown on the last line: move to the neighbouring cell, as Jupyter does. */
  onLeaveEdge?(direction: "up" | "down"): void;
  ref?: Ref<CellEditorHandle>;
}

/** JupyterLab's code font. */
const EDITOR_FONT = { fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", monospace', fontSize: 13, lineHeight: 18 };

interface View {
  monaco: MonacoApi;
  editor: Monaco.editor.IStandaloneCodeEditor;
  model: Monaco.editor.ITextModel;
  context: CellContext | undefined;
  echo: EchoGuard;
}

/** Tells the page's echo of this editor's own edits from a value that really changed outside. */
class EchoGuard {
  /** Values reported through onChange that the page may still hand back. */
  private readonly reported = new Set<string>();
  private applying = false;

  /** An edit of the model: whether to report it (not when it is the page's value being written). */
  report(text: string): boolean {
    if (this.applying) return false;
    this.reported.add(text);
    return true;
  }

  /** Writes the page's `value` into the model unless it is the model's text or an echo of an earlier edit. */
  receive(model: Monaco.editor.ITextModel, value: string): void {
    if (value.replace(/\r\n?/g, "\n") === model.getValue()) return this.reported.clear();
    if (this.reported.has(value)) return;
    this.reported.clear();
    this.applying = true;
    try {
      // An edit, not setValue: the user can undo it.
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    } finally {
      this.applying = false;
    }
  }
}

let mounted = 0;

function editorOptions(): Monaco.editor.IStandaloneEditorConstructionOptions {
  return {
    ...EDITOR_FONT,
    minimap: { enabled: false },
    lineNumbers: "on",
    lineNumbersMinChars: 3,
    lineDecorationsWidth: 6,
    glyphMargin: true,
    folding: false,
    scrollBeyondLastLine: false,
    automaticLayout: true,
    // The page scrolls, not the cell: no vertical scrollbar, and the wheel passes through.
    scrollbar: { vertical: "hidden", verticalScrollbarSize: 0, horizontal: "auto", alwaysConsumeMouseWheel: false },
    overviewRulerLanes: 0,
    overviewRulerBorder: false,
    hideCursorInOverviewRuler: true,
    renderLineHighlightOnlyWhenFocus: true,
    stickyScroll: { enabled: false },
    // Suggestions and hovers may be taller than a one-line cell.
    fixedOverflowWidgets: true,
    padding: { top: 4, bottom: 4 },
    tabSize: 2,
    insertSpaces: true,
  };
}

/** Creates the editor in `host`; returns what disposes it. `props` is read when keys are pressed. */
function mount(monaco: MonacoApi, host: HTMLElement, props: { readonly current: CellEditorProps }, setView: (v: View | null) => void) {
  const n = ++mounted;
  const { cellId, language, value, codeBefore } = props.current;
  const typescript = language === "typescript";
  const ready = typescript ? setUpCellLanguage(monaco) : undefined;
  const uri = monaco.Uri.from({ scheme: "zoetrope-cell", path: `/${n}/${encodeURIComponent(cellId)}${typescript ? ".ts" : ".md"}` });
  const model = monaco.editor.createModel(value, typescript ? CELL_LANGUAGE : "markdown", uri);
  model.setEOL(monaco.editor.EndOfLineSequence.LF);
  const context = ready ? new CellContext(monaco, ready, model, codeBefore) : undefined;
  const editor = monaco.editor.create(host, { ...editorOptions(), model, ariaLabel: typescript ? "Code cell" : "Markdown cell" });
  const view: View = { monaco, editor, model, context, echo: new EchoGuard() };
  const subscriptions: Monaco.IDisposable[] = [];

  const fit = () => {
    const height = `${editor.getContentHeight()}px`;
    if (host.style.height === height) return;
    host.style.height = height;
    editor.layout();
  };
  subscriptions.push(editor.onDidContentSizeChange(fit));
  fit();

  subscriptions.push(
    model.onDidChangeContent(() => {
      const text = model.getValue();
      if (view.echo.report(text)) props.current.onChange(text);
    }),
    editor.onDidFocusEditorText(() => props.current.onFocus?.()),
  );

  // Keys are actions of this editor only: `scope` holds in this editor's context and nowhere else.
  const scope = `zoetropeCell${n}`;
  editor.createContextKey(scope, true);
  const onFirstLine = editor.createContextKey<boolean>("zoetropeCursorOnFirstLine", true);
  const onLastLine = editor.createContextKey<boolean>("zoetropeCursorOnLastLine", true);
  const trackEdges = () => {
    const line = editor.getPosition()?.lineNumber ?? 1;
    onFirstLine.set(line === 1);
    onLastLine.set(line === model.getLineCount());
  };
  subscriptions.push(editor.onDidChangeCursorPosition(trackEdges), model.onDidChangeContent(trackEdges));
  trackEdges();

  const { KeyMod, KeyCode } = monaco;
  const calm = "!suggestWidgetVisible && !parameterHintsVisible && !findWidgetVisible && !renameInputVisible && !inSnippetMode && !editorHasMultipleSelections";
  const actions: { id: string; label: string; keys: number[]; when?: string; run(): void }[] = [
    { id: "run", label: "Run cell", keys: [KeyMod.CtrlCmd | KeyCode.Enter], run: () => props.current.onRun?.("run") },
    { id: "run-next", label: "Run cell, select below", keys: [KeyMod.Shift | KeyCode.Enter], run: () => props.current.onRun?.("run-next") },
    { id: "run-insert", label: "Run cell, insert below", keys: [KeyMod.Alt | KeyCode.Enter], run: () => props.current.onRun?.("run-insert") },
    { id: "save", label: "Save notebook", keys: [KeyMod.CtrlCmd | KeyCode.KeyS], run: () => props.current.onSave?.() },
    { id: "escape", label: "Command mode", keys: [KeyCode.Escape], when: calm, run: () => props.current.onEscape?.() },
    {
      id: "leave-up",
      label: "Previous cell",
      keys: [KeyCode.UpArrow],
      when: `${calm} && zoetropeCursorOnFirstLine`,
      run: () => props.current.onLeaveEdge?.("up"),
    },
    {
      id: "leave-down",
      label: "Next cell",
      keys: [KeyCode.DownArrow],
      when: `${calm} && zoetropeCursorOnLastLine`,
      run: () => props.current.onLeaveEdge?.("down"),
    },
  ];
  for (const { id, label, keys, when, run } of actions) {
    subscriptions.push(
      editor.addAction({ id: `zoetrope.cell.${id}`, label, keybindings: keys, keybindingContext: when ? `${scope} && ${when}` : scope, run }),
    );
  }

  setView(view);
  return () => {
    for (const s of subscriptions) s.dispose();
    context?.dispose();
    editor.dispose();
    model.dispose();
  };
}

/** A cell's code editor (Monaco, loaded from /monaco on first use). */
export function CellEditor(props: CellEditorProps) {
  const { cellId, language, value, codeBefore, errorLine, autoFocus, ref } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  const pendingFocus = useRef<{ at?: "start" | "end" } | null>(null);
  const [view, setView] = useState<View | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useLayoutEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    let dispose: (() => void) | undefined;
    let cancelled = false;
    loadMonaco().then(
      (monaco) => {
        if (!cancelled) dispose = mount(monaco, host, latest, setView);
      },
      (err: unknown) => {
        if (!cancelled) setFailure(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      cancelled = true;
      dispose?.();
      setView(null);
    };
  }, [cellId, language]);

  // The page's value: its echo of this editor's own edits is skipped, anything else replaces the text (undoably).
  useEffect(() => {
    view?.echo.receive(view.model, value);
  }, [view, value]);

  useEffect(() => {
    view?.context?.setCodeBefore(codeBefore);
  }, [view, codeBefore]);

  useEffect(() => {
    if (!view || !errorLine || errorLine > view.model.getLineCount()) return;
    const { monaco, editor, model } = view;
    const decorations = editor.createDecorationsCollection([
      {
        range: new monaco.Range(errorLine, 1, errorLine, 1),
        options: { isWholeLine: true, className: styles.errorLine, glyphMarginClassName: styles.errorGlyph, glyphMarginHoverMessage: { value: "The last run failed here" } },
      },
    ]);
    const edited = model.onDidChangeContent(() => decorations.clear());
    return () => {
      edited.dispose();
      decorations.clear();
    };
  }, [view, errorLine]);

  useEffect(() => {
    if (!view) return;
    const wanted = pendingFocus.current ?? (autoFocus && !view.editor.hasTextFocus() ? {} : null);
    pendingFocus.current = null;
    if (wanted) focusEditor(view, wanted.at);
  }, [view, autoFocus]);

  useImperativeHandle(
    ref,
    () => ({
      focus(at) {
        if (view) focusEditor(view, at);
        else pendingFocus.current = { at };
      },
    }),
    [view],
  );

  if (failure) {
    return (
      <div className={styles.root}>
        <textarea
          className={styles.fallback}
          aria-label={language === "typescript" ? "Code cell" : "Markdown cell"}
          value={value}
          rows={Math.max(1, value.split("\n").length)}
          spellCheck={false}
          onChange={(e) => props.onChange(e.target.value)}
          onFocus={() => props.onFocus?.()}
        />
        <p className={styles.failure}>The code editor could not load ({failure}).</p>
      </div>
    );
  }
  return (
    <div className={styles.root} data-language={language}>
      {view ? null : <pre className={styles.placeholder}>{value || " "}</pre>}
      <div ref={hostRef} className={styles.host} hidden={!view} />
    </div>
  );
}

function focusEditor({ editor, model }: View, at?: "start" | "end") {
  if (at === "start") editor.setPosition({ lineNumber: 1, column: 1 });
  if (at === "end") editor.setPosition(model.getFullModelRange().getEndPosition());
  editor.focus();
}

export default CellEditor;
