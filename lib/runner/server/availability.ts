// Whether this server may run notebook kernels: they run any code a page sends, so only for a server that nobody
// else can reach (it listens on loopback) or that asks everyone for the password (login mode).
import { loginRequired } from "../../auth/session";

export type ServerKernelAvailability = { available: true } | { available: false; reason: string };

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Where the server listens: HOST, 127.0.0.1 by default, as scripts/server.js reads it. */
export function listenHost(env: Record<string, string | undefined> = process.env): string {
  return env.HOST ?? "127.0.0.1";
}

export function serverKernelAvailability(host = listenHost()): ServerKernelAvailability {
  if (loginRequired() || isLoopback(host)) return { available: true };
  return {
    available: false,
    reason: `server kernels run any code a page sends, so they need login mode (ZOETROPE_PASSWORD) on a server listening on ${host}`,
  };
}
