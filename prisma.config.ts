import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { dataDir, isPostgresUrl, sqliteFile } from "./lib/tracker/paths";

// The Prisma CLI's config for the SQLite schema; PostgreSQL's is prisma/postgres/prisma.config.ts. Without
// DATABASE_URL in the environment the CLI falls back to downloading an engine, which fails offline; a postgres://
// DATABASE_URL is not this schema's, so the SQLite default stands in (generate never connects).
if (!process.env.DATABASE_URL || isPostgresUrl(process.env.DATABASE_URL)) {
  process.env.DATABASE_URL = `file:${path.join(dataDir(), "zoetrope.db")}`;
}
const url = process.env.DATABASE_URL;
fs.mkdirSync(path.dirname(sqliteFile(url)), { recursive: true });

// The JS engine with the better-sqlite3 adapter runs generate and migrate offline (no engine download).
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
