import path from "node:path";

/** Where uploaded files (samples, checkpoints) and the default SQLite file live. */
export function dataDir(): string {
  // The comment stops Next's file tracer from bundling the whole project for a path only known at run time.
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? "data");
}

/** The tracker's database: DATABASE_URL if set (a `file:` SQLite path or a `postgres://` URL), else data/zoetrope.db. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? `file:${path.join(dataDir(), "zoetrope.db")}`;
}

/** The file path behind a `file:` SQLite URL. */
export function sqliteFile(url = databaseUrl()): string {
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a file: SQLite path or a postgres:// URL, got ${url}`);
  return path.resolve(url.slice("file:".length));
}

/** Whether a DATABASE_URL names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(url = databaseUrl()): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
