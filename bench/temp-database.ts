// A fresh SQLite tracker database in a temp folder, migrated by applying the checked-in migrations' SQL directly
// (faster than `prisma migrate deploy`, which a benchmark would otherwise time once per database).
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function tempDatabase(): { dataDir: string; url: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-bench-"));
  const file = path.join(dataDir, "zoetrope.db");
  const db = new Database(file);
  const migrations = path.resolve("prisma", "migrations");
  for (const dir of fs.readdirSync(migrations).sort()) {
    const sql = path.join(migrations, dir, "migration.sql");
    if (fs.existsSync(sql)) db.exec(fs.readFileSync(sql, "utf8"));
  }
  db.close();
  return { dataDir, url: `file:${file}` };
}
