// A pg connection pool to a PostgreSQL tracker, for the metric hot path only (Prisma keeps its own pool).
import pg from "pg";
import { databaseUrl } from "./paths";

const cache = globalThis as unknown as { zoetropePg?: { url: string; pool: pg.Pool } };

/** The process's pool, replaced if DATABASE_URL now points elsewhere (tests). */
export function postgres(): pg.Pool {
  const url = databaseUrl();
  if (cache.zoetropePg?.url !== url) {
    void cache.zoetropePg?.pool.end();
    cache.zoetropePg = { url, pool: new pg.Pool({ connectionString: url, max: 10 }) };
  }
  return cache.zoetropePg.pool;
}

/** Runs fn inside one transaction on one pooled connection. */
export async function inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await postgres().connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
