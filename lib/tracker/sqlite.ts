// A raw better-sqlite3 connection to the tracker's SQLite file, for the metric hot path only.
// Prisma keeps its own connection; WAL lets both read while one writes.
import Database from "better-sqlite3";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { sqliteFile } from "./paths";

// Metric blobs are written and read as raw Float64Array bytes; the on-disk format is little-endian.
if (os.endianness() !== "LE") throw new Error("the metric store needs a little-endian host");

const cache = globalThis as unknown as { zoetropeSqlite?: { file: string; db: Database.Database } };

/** The process's raw connection, reopened if DATABASE_URL now points elsewhere (tests). */
export function sqlite(): Database.Database {
  const file = sqliteFile();
  if (cache.zoetropeSqlite?.file !== file) {
    cache.zoetropeSqlite?.db.close();
    const db = new Database(file, { fileMustExist: true });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL"); // durable at checkpoints; a crash loses at most the last commits, never corrupts
    // No busy wait inside SQLite: it would block the event loop that the lock holder (Prisma, same thread) needs.
    db.pragma("busy_timeout = 0");
    cache.zoetropeSqlite = { file, db };
  }
  return cache.zoetropeSqlite.db;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * Runs a synchronous write, retrying while another connection holds the write lock. The wait is asynchronous so
 * Prisma's pending transaction on this same thread can finish; after ~2 s the busy error reaches the caller (503).
 */
export async function withWriteRetry<T>(fn: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || attempt >= 40) throw err;
      await sleep(Math.min(5 * (attempt + 1), 100));
    }
  }
}

/** DateTime as Prisma's SQLite adapter stores it, so rows written here read back through Prisma. */
export function sqliteDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}
