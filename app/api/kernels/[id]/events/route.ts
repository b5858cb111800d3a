import { kernelRoute } from "@/lib/runner/server/route";
import { kernels } from "@/lib/runner/server/kernels";
import { eventStream } from "@/lib/runner/server/event-stream";
import { notFound } from "@/lib/tracker/errors";
import { otherMethods } from "@/lib/tracker/http";

type Params = { id: string };

/**
 * The kernel's events as Server-Sent Events (wire.ts encodes each): first those a page needs to show where the
 * kernel stands, then each as it comes. A reconnecting EventSource sends Last-Event-ID and gets only what it missed;
 * `event: exit` says the kernel is gone.
 */
export const GET = kernelRoute<Params>(async (req, { id }) => {
  const after = Number(req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? 0);
  const stream = eventStream(req.signal, (send) => kernels().attach(id, Number.isSafeInteger(after) ? after : 0, send));
  if (!stream) throw notFound("kernel", id);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: a compressing layer would hold the events back.
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
