// A server kernel as the page's KernelClient sees it: the same commands and events as the kernel worker's, carried
// over HTTP instead of postMessage. Commands go in order, those of one moment in one POST; events come as
// Server-Sent Events (wire.ts), which the browser's EventSource resumes by itself after a dropped connection. A
// kernel that is gone (shut down, crashed, not found) is reported as a worker error, so the client replaces it.
// No React; browser APIs only (fetch, EventSource).
import type { KernelPort } from "./kernel-client";
import type { KernelCommand, KernelEvent } from "./protocol";
import { decodeWire } from "./wire";

export interface RemoteKernelOptions {
  experimentId: string;
  /** Join the kernel already running for this notebook (a reload); false starts a fresh one. */
  attach: boolean;
}

/** How long to wait before listening again when the server could not be reached at all. */
const RETRY_MS = 2000;

// Listeners get an Event, or for "message" a MessageEvent: the overloads of KernelPort say which.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (e: any) => void;

async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `HTTP ${res.status}`;
}

export class RemoteKernel implements KernelPort {
  private readonly listeners = new Map<string, Listener[]>();
  private readonly base = "/api/kernels";
  private readonly opened: Promise<string | undefined>;
  private source: EventSource | undefined;
  private pending: KernelCommand[] = [];
  /** The POST of earlier commands: the next waits for it, so commands reach the kernel in the order sent. */
  private sending: Promise<void> = Promise.resolve();
  private closed = false;
  /** The last event received: a new stream resumes after it. */
  private lastSeq = 0;

  constructor(private readonly opts: RemoteKernelOptions) {
    this.opened = this.open();
    // Leaving the page (a reload, closing the tab) lets go of the kernel: its stream's end is no crash.
    globalThis.addEventListener?.("pagehide", this.onPageHide);
  }

  postMessage(command: KernelCommand): void {
    if (this.closed) return;
    this.pending.push(command);
    if (this.pending.length > 1) return; // a flush is already queued for this moment
    queueMicrotask(() => {
      const commands = this.pending;
      this.pending = [];
      this.sending = this.sending.then(() => this.post(commands));
    });
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /** Shuts the server kernel down; the page ends its run itself. */
  terminate(): void {
    if (this.closed) return;
    this.close();
    void this.opened.then(async (id) => {
      if (id) await fetch(`${this.base}/${encodeURIComponent(id)}?reason=replaced`, { method: "DELETE" }).catch(() => {});
    });
  }

  /** Stops listening; the kernel runs on, for this page after a reload or for another. */
  detach(): void {
    this.close();
  }

  private readonly onPageHide = () => this.close();

  private close(): void {
    this.closed = true;
    this.source?.close();
    globalThis.removeEventListener?.("pagehide", this.onPageHide);
  }

  private async open(): Promise<string | undefined> {
    try {
      const res = await fetch(this.base, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ experimentId: this.opts.experimentId, attach: this.opts.attach }),
      });
      if (!res.ok) throw new Error(`the server did not start a kernel: ${await errorMessage(res)}`);
      const { kernel } = (await res.json()) as { kernel: { id: string } };
      if (!this.closed) this.listen(kernel.id);
      return kernel.id;
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  private listen(id: string): void {
    const url = `${this.base}/${encodeURIComponent(id)}`;
    const source = new EventSource(`${url}/events${this.lastSeq ? `?after=${this.lastSeq}` : ""}`);
    this.source = source;
    source.addEventListener("message", (e: MessageEvent<string>) => {
      if (this.closed) return;
      this.lastSeq = Number(e.lastEventId) || this.lastSeq;
      this.dispatch("message", new MessageEvent("message", { data: decodeWire<KernelEvent>(e.data) }));
    });
    source.addEventListener("exit", (e: MessageEvent<string>) => this.fail(JSON.parse(e.data) as string));
    // A dropped connection is retried by EventSource itself (CONNECTING). CLOSED is an answer other than the
    // stream: ask whether the kernel is still there before giving up on it.
    source.addEventListener("error", () => {
      if (source.readyState !== EventSource.CLOSED || this.closed) return;
      void fetch(url).then(
        async (res) => {
          if (this.closed) return;
          if (res.ok) this.listen(id);
          else this.fail(res.status === 404 ? "the server kernel is gone" : `the server kernel cannot be reached: ${await errorMessage(res)}`);
        },
        () => this.closed || setTimeout(() => this.listen(id), RETRY_MS),
      );
    });
  }

  private async post(commands: KernelCommand[]): Promise<void> {
    const id = await this.opened;
    if (!id || this.closed) return;
    try {
      const res = await fetch(`${this.base}/${encodeURIComponent(id)}/commands`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ commands }),
      });
      if (res.status === 404) this.fail("the server kernel is gone");
      else if (!res.ok) this.dispatch("messageerror", new Event("messageerror"));
    } catch {
      this.dispatch("messageerror", new Event("messageerror"));
    }
  }

  private fail(message: string): void {
    if (this.closed) return;
    this.close();
    this.dispatch("error", new ErrorEvent("error", { message }));
  }

  private dispatch(type: string, event: Event): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}
