// Brings a tracker database up to the checked-in schema: SQLite through `prisma migrate deploy`, PostgreSQL through
// migrate-postgres.ts (which see). Node only; used by `npm start` (scripts/migrate.ts) and the CLI.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { migratePostgres, postgresMigrationsDir } from "./migrate-postgres";
import { isPostgresUrl, sqliteFile } from "./paths";
import { describeConnectError } from "./postgres-errors";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Applies the migrations `url`'s database lacks (none, most of the time); throws a one-line error naming the fix. */
export async function migrateDatabase(url: string): Promise<void> {
  if (isPostgresUrl(url)) {
    try {
      await migratePostgres(url, postgresMigrationsDir(ROOT));
    } catch (e) {
      throw new Error(describeConnectError(e, url));
    }
    return;
  }
  const file = sqliteFile(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const prisma = path.join(ROOT, "node_modules", ".bin", "prisma");
  const env = { ...process.env, DATABASE_URL: url };
  const result = spawnSync(prisma, ["migrate", "deploy", "--schema", path.join("prisma", "schema.prisma")], { cwd: ROOT, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`migrating ${file} failed:\n${result.stdout}${result.stderr}`);
}
