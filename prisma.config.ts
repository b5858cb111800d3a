import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseUrl, sqliteFile } from "./lib/tracker/paths";

// Without DATABASE_URL in the environment the CLI falls back to downloading an engine, which fails offline.
process.env.DATABASE_URL ??= databaseUrl();
fs.mkdirSync(path.dirname(sqliteFile(process.env.DATABASE_URL)), { recursive: true });

// The JS engine with the better-sqlite3 adapter runs generate and migrate offline (no engine download).
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url: databaseUrl() }),
});
