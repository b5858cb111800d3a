import path from "node:path";

/** Where uploaded files (samples, checkpoints) and the default SQLite file live. */
export function dataDir(): string {
  // The comment stops Next's file tracer from bundling the whole project for a path only known at run time.
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? "data");
}

/** The SQLite URL: DATABASE_URL if set, else data/zoetrope.db. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? `file:${path.join(dataDir(), "zoetrope.db")}`;
}

/** The file path behind a `file:` SQLite URL. */
export function sqliteFile(url = databaseUrl()): string {
  if (!url.startsWith("file:")) throw new Error(`Only file: SQLite URLs are supported, got ${url}`);
  return path.resolve(url.slice("file:".length));
}
