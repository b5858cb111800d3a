// Which tracker the CLI records into: a server's API (--url, logged in with ZOETROPE_PASSWORD when set), or a
// database: a SQLite file (--db; default the app's own) or DATABASE_URL's PostgreSQL, migrated first so that a
// fresh one works.
import path from "node:path";
import { HttpSink } from "../tracking/http-sink";
import { redactUrl } from "../../tracker/postgres-errors";
import { loginFetch } from "./login";
import type { TrackerSink } from "../tracking/sink";

export async function openTracker(opts: { url?: string; db?: string }): Promise<TrackerSink> {
  if (opts.url) {
    // A server in login mode (ZOETROPE_PASSWORD set there) takes the same password from this environment.
    const password = process.env.ZOETROPE_PASSWORD;
    return new HttpSink(opts.url, password ? await loginFetch(opts.url, password) : undefined);
  }
  const { dataDir, databaseUrl, isPostgresUrl, sqliteFile } = await import("../../tracker/paths");
  const { migrateDatabase } = await import("../../tracker/migrate");
  const { DbSink } = await import("./db-sink");
  if (!opts.db && isPostgresUrl()) {
    // A shared PostgreSQL tracker: samples and checkpoints still go to this machine's DATA_DIR, so a team's
    // workers record through the app's URL (--url) instead; see the README's "A team on PostgreSQL".
    await migrateDatabase(databaseUrl());
    return new DbSink(redactUrl(databaseUrl()));
  }
  const file = opts.db ? path.resolve(opts.db) : sqliteFile(databaseUrl());
  // Absolute paths: the tracker runs in this folder. Samples and checkpoints go beside a --db file unless DATA_DIR
  // says otherwise.
  process.env.DATA_DIR = path.resolve(opts.db && !process.env.DATA_DIR ? path.dirname(file) : dataDir());
  process.env.DATABASE_URL = `file:${file}`;
  await migrateDatabase(process.env.DATABASE_URL);
  return new DbSink(file);
}
