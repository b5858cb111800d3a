"use client";

import { useId, useRef, useState } from "react";
import styles from "./share.module.css";

type ShareType = "experiment" | "run" | "compare";

const EXPIRIES = [
  { label: "Never", ms: 0 },
  { label: "1 hour", ms: 3600_000 },
  { label: "1 day", ms: 86_400_000 },
  { label: "7 days", ms: 7 * 86_400_000 },
  { label: "30 days", ms: 30 * 86_400_000 },
];

interface ApiErrorBody {
  error?: { message?: string };
}

/** "Share": makes a read-only link to what `ids` name, with an optional expiry, and shows it to copy. */
export function ShareButton({ type, ids }: { type: ShareType; ids: string[] }) {
  const [open, setOpen] = useState(false);
  const [expiry, setExpiry] = useState(0);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const expiryId = useId();

  async function create() {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const expiresAt = expiry > 0 ? new Date(Date.now() + expiry).toISOString() : undefined;
      const res = await fetch("/api/share", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type, ids, expiresAt }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as ApiErrorBody;
        throw new Error(body.error?.message ?? `${res.status} ${res.statusText}`);
      }
      const created = (await res.json()) as { url: string };
      setUrl(new URL(created.url, window.location.origin).href);
    } catch (err) {
      setError(`Could not create the link: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // No clipboard API outside a secure context (plain HTTP on a LAN address): select the text for Ctrl+C.
      input.current?.select();
      return;
    }
    setCopied(true);
  }

  return (
    <div className={styles.sharePanel}>
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Share…
      </button>
      {open ? (
        <div className={styles.popover} role="group" aria-label={`Share this ${type}`}>
          <span className="muted">Anyone with the link can view this {type}, read-only.</span>
          <label htmlFor={expiryId}>
            Expires
            <select id={expiryId} value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
              {EXPIRIES.map((x) => (
                <option key={x.ms} value={x.ms}>
                  {x.label}
                </option>
              ))}
            </select>
            <button type="button" className="primary" onClick={create} disabled={busy}>
              {url ? "Create another link" : "Create link"}
            </button>
          </label>
          {url ? (
            <div className={styles.urlRow}>
              <input ref={input} type="text" readOnly value={url} aria-label="Share link" onFocus={(e) => e.target.select()} />
              <button type="button" onClick={copy}>
                {copied ? "Copied" : "Copy"}
              </button>
            </div>
          ) : null}
          {url ? <span className="muted">The link is shown only now. Manage links on <a href="/shares">Share links</a>.</span> : null}
          {error ? <p className={styles.error}>{error}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
