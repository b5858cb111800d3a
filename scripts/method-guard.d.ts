// Types for scripts/method-guard.js (plain JavaScript, so that scripts/server.js runs without a build step).

export interface Refusal {
  status: 405;
  headers: Record<string, string>;
  body: string;
}

export const METHODS: readonly string[];
export function isApiPath(pathname: string): boolean;
export function targetPath(target: string): string;
export function methodRefusal(method: string, target: string): Refusal | null;
export function rawResponse(refusal: Refusal, date?: Date): string;
export function requestLine(bytes: Uint8Array): { method: string; target: string } | null;
export function clientErrorResponse(err: { code?: string; rawPacket?: Uint8Array }): string;
