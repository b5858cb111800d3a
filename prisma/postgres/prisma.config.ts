import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The Prisma CLI's config for the PostgreSQL schema (`--config prisma/postgres/prisma.config.ts`): generate and
// validate run offline with the JS engine and the pg adapter. Migrations are applied by lib/tracker/migrate-postgres.ts,
// since `prisma migrate deploy` fails through this adapter (prisma/orm#27403).
// A placeholder URL when DATABASE_URL is not PostgreSQL's: generate and validate never connect.
if (!/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) process.env.DATABASE_URL = "postgres://localhost/zoetrope";

export default defineConfig({
  schema: path.join(import.meta.dirname, "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
