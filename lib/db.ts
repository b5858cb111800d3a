// The one Prisma client of the process, cached across hot reloads. Only lib/tracker imports this.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./tracker/generated/client";
import { databaseUrl } from "./tracker/paths";

const globalForPrisma = globalThis as unknown as { zoetropePrisma?: PrismaClient };

export function db(): PrismaClient {
  globalForPrisma.zoetropePrisma ??= new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl() }) });
  return globalForPrisma.zoetropePrisma;
}
