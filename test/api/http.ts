// Calls route handlers in-process with real Request objects, as Next would.

const ORIGIN = "http://localhost";

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/** Builds a Request: objects become JSON; strings, FormData and bytes are sent as they are. */
export function request(method: string, url: string, opts: CallOptions = {}): Request {
  const { body, headers = {} } = opts;
  let init: BodyInit | undefined;
  if (body === undefined) init = undefined;
  else if (typeof body === "string" || body instanceof FormData || body instanceof Uint8Array) {
    init = body as BodyInit;
  }
  else {
    init = JSON.stringify(body);
    headers["content-type"] ??= "application/json";
  }
  return new Request(ORIGIN + url, { method, body: init, headers });
}

export async function call<P>(
  handler: Handler<P>,
  method: string,
  url: string,
  params: P,
  opts?: CallOptions,
): Promise<Response> {
  return handler(request(method, url, opts), { params: Promise.resolve(params) });
}

/** The parsed JSON body (any: tests check fields directly). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function bodyOf(res: Response): Promise<any> {
  return res.json();
}

export const noParams = {} as Record<string, never>;
