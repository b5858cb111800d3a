import { randomBytes } from "node:crypto";

/**
 * A new record id, made here (not by Prisma's default) when a file must be named before its row exists.
 * Time-prefixed so ids sort roughly by creation; lowercase base-36 so it is safe in paths and URLs.
 */
export function newId(): string {
  const time = Date.now().toString(36).padStart(9, "0");
  const rand = BigInt(`0x${randomBytes(10).toString("hex")}`).toString(36).padStart(16, "0");
  return `c${time}${rand}`;
}
