// A real, empty tracker database for one test file. Import this module FIRST in a test file: it points DATABASE_URL
// and DATA_DIR at a temp folder on import, before anything opens the database, and applies the checked-in
// migrations. SQLite by default (a file, migrated directly with better-sqlite3: much faster than the Prisma CLI, and
// the same SQL); in the `postgres` test project (vitest.config.ts) a fresh database on the temp PostgreSQL server
// that test/helpers/postgres-setup.ts started.
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { migratePostgres } from "@/lib/tracker/migrate-postgres";
import { sqliteDate } from "@/lib/tracker/sqlite";
import { createDatabase } from "../../scripts/temp-postgres";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-test-"));
const dataDir = path.join(root, "data");
const dbFile = path.join(dataDir, "zoetrope.db");
fs.mkdirSync(dataDir, { recursive: true });
process.env.DATA_DIR = dataDir;

const server = inject("postgresUrl");
let pool: pg.Pool | undefined;
if (server) {
  const name = `test_${path.basename(root).replace(/[^a-z0-9]/gi, "").toLowerCase()}`;
  process.env.DATABASE_URL = await createDatabase(server, name);
  await migratePostgres(process.env.DATABASE_URL);
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
} else {
  process.env.DATABASE_URL = `file:${dbFile}`;
  const migrations = path.resolve("prisma", "migrations");
  const setup = new Database(dbFile);
  for (const dir of fs.readdirSync(migrations).sort()) {
    const file = path.join(migrations, dir, "migration.sql");
    if (fs.existsSync(file)) setup.exec(fs.readFileSync(file, "utf8"));
  }
  setup.close();
}

let poke: Database.Database | undefined;

export const tempDb = {
  kind: server ? ("postgres" as const) : ("sqlite" as const),
  root,
  dataDir,
  /** The SQLite file, or the PostgreSQL URL */
  dbFile: server ? process.env.DATABASE_URL : dbFile,
  /**
   * A separate connection's query, for arranging state the API cannot (e.g. an old heartbeat) and for checking
   * rows. Write SQL both databases take: quoted "Table" and "column" names, `?` placeholders, CAST(COUNT(*) AS
   * INTEGER). Dates are written as each database's Prisma adapter writes them.
   */
  async query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
    if (pool) {
      let n = 0;
      const values = params.map((p) => (p instanceof Date ? p.toISOString() : p));
      return (await pool.query(sql.replace(/\?/g, () => `$${++n}`), values)).rows as T[];
    }
    const stmt = this.sql().prepare(sql);
    const values = params.map((p) => (p instanceof Date ? sqliteDate(p) : p));
    return stmt.reader ? (stmt.all(...values) as T[]) : (stmt.run(...values), []);
  },
  /** A separate raw SQLite connection (SQLite's own tests: locks, blobs). */
  sql(): Database.Database {
    if (server) throw new Error("tempDb.sql() is SQLite's; use tempDb.query()");
    poke ??= new Database(dbFile);
    return poke;
  },
};

afterAll(async () => {
  poke?.close();
  await pool?.end();
  fs.rmSync(root, { recursive: true, force: true });
});
