// The one Prisma client of the process, cached across hot reloads. Only lib/tracker imports this.
// DATABASE_URL picks the database: a `file:` URL is SQLite (the embedded default), a `postgres://` URL PostgreSQL,
// whose client is generated from prisma/postgres/schema.prisma. The two schemas describe the same models
// (test/tracker/schemas.test.ts), so the PostgreSQL client is used through the SQLite client's type.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { PrismaClient as PostgresClient } from "./generated-pg/client";
import { databaseUrl, isPostgresUrl } from "./paths";

const cache = globalThis as unknown as { zoetropePrisma?: { url: string; client: PrismaClient } };

export function db(): PrismaClient {
  const url = databaseUrl();
  if (cache.zoetropePrisma?.url !== url) {
    void cache.zoetropePrisma?.client.$disconnect();
    const client = isPostgresUrl(url)
      ? (new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as PrismaClient)
      : new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
    cache.zoetropePrisma = { url, client };
  }
  return cache.zoetropePrisma.client;
}
