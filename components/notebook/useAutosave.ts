"use client";
// Saves the notebook's text within a second after typing stops, and on demand (before every run, Ctrl+S). Each save
// names the version it was based on: when another tab or the command line saved in between, the server refuses
// (409) and the page offers to keep either text instead of silently overwriting one. Tabs of the same notebook also
// tell each other about edits at once (BroadcastChannel), before any save collides.
import { useCallback, useEffect, useRef, useState } from "react";

export const AUTOSAVE_DELAY_MS = 800;

export type SaveStatus = "saved" | "unsaved" | "saving" | "conflict" | "error";

export interface SaveConflict {
  /** The stored version and text that another writer saved. */
  version: number;
  notebook: string;
}

export interface Autosave {
  status: SaveStatus;
  error?: string;
  conflict?: SaveConflict;
  /** Another tab of this notebook has unsaved or recent edits. */
  otherTab: boolean;
  /** Saves now if anything is unsaved; resolves true when the stored text is the page's. */
  saveNow(): Promise<boolean>;
  /** Resolves a conflict by writing the page's text over the stored one. */
  keepMine(): Promise<boolean>;
  /** Resolves a conflict by taking the stored text (the caller loads it into the page). */
  takeTheirs(): SaveConflict | undefined;
}

interface Options {
  experimentId: string;
  /** The version the page's text was loaded at. */
  initialVersion: number;
  /** The page's current text (it was stored at initialVersion when the page loaded). */
  text: string;
}

export function useAutosave({ experimentId, initialVersion, text }: Options): Autosave {
  const [status, setStatus] = useState<SaveStatus>("saved");
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<SaveConflict>();
  const [otherTab, setOtherTab] = useState(false);
  const base = useRef(initialVersion);
  const latest = useRef(text);
  /** The text the server holds at version `base`, as far as this page knows. */
  const saved = useRef(text);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const blocked = useRef(false); // while a conflict is open, nothing is written until the user chooses
  const channel = useRef<BroadcastChannel | null>(null);

  const write = useCallback(
    async (force: boolean): Promise<boolean> => {
      const body = latest.current;
      setStatus("saving");
      try {
        const res = await fetch(`/api/experiments/${encodeURIComponent(experimentId)}`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ notebook: body, baseVersion: base.current }),
        });
        const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        if (res.status === 409 && !force) {
          const theirs = readConflict(answer);
          if (theirs) {
            blocked.current = true;
            setConflict(theirs);
            setStatus("conflict");
            return false;
          }
        }
        if (!res.ok) throw new Error(readMessage(answer) ?? `HTTP ${res.status}`);
        base.current = typeof answer.version === "number" ? answer.version : base.current + 1;
        saved.current = body;
        channel.current?.postMessage({ type: "saved", version: base.current });
        setError(undefined);
        const more = latest.current !== body;
        setStatus(more ? "unsaved" : "saved");
        return !more;
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        setStatus("error");
        return false;
      }
    },
    [experimentId],
  );

  const saveNow = useCallback(async (): Promise<boolean> => {
    // One save at a time; edits made meanwhile go in the next one.
    while (inFlight.current) await inFlight.current;
    if (blocked.current) return false;
    if (latest.current === saved.current) return true;
    const pending = write(false);
    inFlight.current = pending;
    try {
      return await pending;
    } finally {
      inFlight.current = null;
    }
  }, [write]);

  // Debounced autosave after each change of the text.
  useEffect(() => {
    latest.current = text;
    if (text === saved.current || blocked.current) return;
    setStatus((s) => (s === "conflict" ? s : "unsaved"));
    channel.current?.postMessage({ type: "edited" });
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, saveNow]);

  // Other tabs of the same notebook.
  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const bc = new BroadcastChannel(`zoetrope-notebook-${experimentId}`);
    channel.current = bc;
    bc.onmessage = () => setOtherTab(true);
    bc.postMessage({ type: "opened" });
    return () => {
      bc.close();
      channel.current = null;
    };
  }, [experimentId]);

  // Leaving with unsaved text asks first.
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      if (latest.current !== saved.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, []);

  const keepMine = useCallback(async () => {
    const theirs = conflict;
    if (!theirs) return true;
    base.current = theirs.version;
    blocked.current = false;
    setConflict(undefined);
    return write(true);
  }, [conflict, write]);

  const takeTheirs = useCallback(() => {
    const theirs = conflict;
    if (!theirs) return undefined;
    base.current = theirs.version;
    saved.current = theirs.notebook; // the page loads it next: that text needs no save
    blocked.current = false;
    setConflict(undefined);
    setStatus("saved");
    return theirs;
  }, [conflict]);

  return { status, error, conflict, otherTab, saveNow, keepMine, takeTheirs };
}

function readConflict(body: Record<string, unknown>): SaveConflict | undefined {
  const err = (body.error ?? {}) as Record<string, unknown>;
  const source = typeof err.notebook === "string" ? err : ((err.current ?? err.details ?? {}) as Record<string, unknown>);
  if (typeof source.notebook !== "string" || typeof source.version !== "number") return undefined;
  return { version: source.version, notebook: source.notebook };
}

function readMessage(body: Record<string, unknown>): string | undefined {
  const err = body.error as { message?: unknown } | undefined;
  return typeof err?.message === "string" ? err.message : undefined;
}
