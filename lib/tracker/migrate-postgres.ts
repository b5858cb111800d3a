// Applies prisma/postgres/migrations to a PostgreSQL tracker. `prisma migrate deploy` cannot do it offline: with
// the driver adapter it fails on PostgreSQL's `name` column type (prisma/orm#27403), and without one it downloads a
// schema engine. So this does what deploy does, in the same bookkeeping table, so a working `prisma migrate` can take
// over later: each migration not yet recorded in _prisma_migrations runs in its own transaction, in name order,
// under an advisory lock so that the app and workers starting together do not race.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

// Prisma's own table, as `prisma migrate deploy` creates it.
const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;
const LOCK_KEY = 72_707_301; // any constant: the advisory lock of this project's migrations

export function postgresMigrationsDir(root = process.cwd()): string {
  return path.join(root, "prisma", "postgres", "migrations");
}

/** Applies the migrations the database lacks; returns the names applied (none, most of the time). */
export async function migratePostgres(url: string, dir = postgresMigrationsDir()): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(BOOKKEEPING);
    const done = new Set(
      (await client.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')).rows.map(
        (r) => r.migration_name,
      ),
    );
    const applied: string[] = [];
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name, "migration.sql");
      if (done.has(name) || !fs.existsSync(file)) continue;
      const sql = fs.readFileSync(file, "utf8");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)',
          [randomUUID(), createHash("sha256").update(sql).digest("hex"), name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${(e as Error).message}`);
      }
      applied.push(name);
    }
    return applied;
  } finally {
    await client.end(); // ends the session, which releases the advisory lock
  }
}
