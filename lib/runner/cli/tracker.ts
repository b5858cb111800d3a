// Which tracker the CLI records into: a server's API (--url, logged in with ZOETROPE_PASSWORD when set), or a
// SQLite file (--db; default the app's own), migrated first so that a fresh file works.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { HttpSink } from "../tracking/http-sink";
import { loginFetch } from "./login";
import type { TrackerSink } from "../tracking/sink";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

export async function openTracker(opts: { url?: string; db?: string }): Promise<TrackerSink> {
  if (opts.url) {
    // A server in login mode (ZOETROPE_PASSWORD set there) takes the same password from this environment.
    const password = process.env.ZOETROPE_PASSWORD;
    return new HttpSink(opts.url, password ? await loginFetch(opts.url, password) : undefined);
  }
  const { dataDir, databaseUrl, sqliteFile } = await import("../../tracker/paths");
  const file = opts.db ? path.resolve(opts.db) : sqliteFile(databaseUrl());
  // Absolute paths: prisma runs in the project folder, the tracker in this one. Samples and checkpoints go beside
  // a --db file unless DATA_DIR says otherwise.
  process.env.DATA_DIR = path.resolve(opts.db && !process.env.DATA_DIR ? path.dirname(file) : dataDir());
  process.env.DATABASE_URL = `file:${file}`;
  migrate(file);
  const { DbSink } = await import("./db-sink");
  return new DbSink(file);
}

/** `prisma migrate deploy`: applies the checked-in migrations a database lacks (none, most of the time). */
function migrate(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const prisma = path.join(ROOT, "node_modules", ".bin", "prisma");
  const result = spawnSync(prisma, ["migrate", "deploy"], { cwd: ROOT, env: process.env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`migrating ${file} failed:\n${result.stdout}${result.stderr}`);
}
