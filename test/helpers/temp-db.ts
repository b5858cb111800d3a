// A real SQLite file in a fresh temp folder for one test file. Import this module FIRST in a test file: it points
// DATABASE_URL and DATA_DIR at the temp folder on import, before anything opens the database, and applies the
// checked-in migrations directly with better-sqlite3 (much faster than the Prisma CLI, and the same SQL).
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-test-"));
const dataDir = path.join(root, "data");
const dbFile = path.join(dataDir, "zoetrope.db");
fs.mkdirSync(dataDir, { recursive: true });

process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${dbFile}`;

const migrations = path.resolve("prisma", "migrations");
const setup = new Database(dbFile);
for (const dir of fs.readdirSync(migrations).sort()) {
  const file = path.join(migrations, dir, "migration.sql");
  if (fs.existsSync(file)) setup.exec(fs.readFileSync(file, "utf8"));
}
setup.close();

let poke: Database.Database | undefined;

export const tempDb = {
  root,
  dataDir,
  dbFile,
  /** A separate connection for arranging state the API cannot (e.g. an old heartbeat). */
  sql(): Database.Database {
    poke ??= new Database(dbFile);
    return poke;
  },
};

afterAll(() => {
  poke?.close();
  fs.rmSync(root, { recursive: true, force: true });
});
