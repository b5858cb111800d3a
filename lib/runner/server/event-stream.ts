// A server kernel's messages as a Server-Sent Events stream, ended when the client goes or the kernel does.
import { encodeWire } from "../wire";
import type { KernelMessage } from "./kernel-manager";

/** A comment line now and then keeps proxies and browsers from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

function format(message: KernelMessage): string {
  if ("exit" in message) return `event: exit\ndata: ${JSON.stringify(message.exit)}\n\n`;
  return `id: ${message.seq}\ndata: ${encodeWire(message.event)}\n\n`;
}

/** Undefined when `attach` finds no kernel. */
export function eventStream(
  signal: AbortSignal,
  attach: (send: (message: KernelMessage) => void) => (() => void) | undefined,
): ReadableStream<Uint8Array> | undefined {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => close(),
  });
  const send = (message: KernelMessage) => {
    if (!open) return;
    controller.enqueue(encoder.encode(format(message)));
    if ("exit" in message) close();
  };
  const detach = attach(send);
  if (!detach) return undefined;
  const keepalive = setInterval(() => open && controller.enqueue(encoder.encode(": keepalive\n\n")), KEEPALIVE_MS);
  function close() {
    if (!open) return;
    open = false;
    clearInterval(keepalive);
    detach?.();
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  }
  signal.addEventListener("abort", close);
  return stream;
}
