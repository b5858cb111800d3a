// PostgreSQL's checked-in migrations build exactly what its schema describes: a database migrated by
// migrate-postgres.ts has the same tables, columns, indexes and constraints as one built from the schema directly.
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migratePostgres } from "@/lib/tracker/migrate-postgres";
import { createDatabase } from "../../scripts/temp-postgres";

const server = inject("postgresUrl")!;
const root = path.resolve(".");
const clients: pg.Client[] = [];
afterAll(() => Promise.all(clients.map((c) => c.end())));

async function freshDatabase(name: string): Promise<{ url: string; client: pg.Client }> {
  const url = await createDatabase(server, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return { url, client };
}

/** What the tracker's tables look like, as sorted text lines. */
async function shape(client: pg.Client): Promise<string[]> {
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const indexes = await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  const constraints = await client.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
  );
  return [
    ...columns.rows.map((r) => `column ${r.table_name}.${r.column_name} ${r.data_type} null=${r.is_nullable} default=${r.column_default}`),
    ...indexes.rows.map((r) => `index ${r.indexname}: ${r.indexdef}`),
    ...constraints.rows.filter((r) => !r.conname.startsWith("_prisma")).map((r) => `constraint ${r.conname}: ${r.def}`),
  ].sort();
}

describe("PostgreSQL migrations", () => {
  it("build the schema's tables exactly, and a second run applies nothing", async () => {
    const migrated = await freshDatabase("migrations_applied");
    expect(await migratePostgres(migrated.url)).toEqual(["20261205000000_init"]);
    expect(await migratePostgres(migrated.url)).toEqual([]);

    const direct = await freshDatabase("migrations_direct");
    const diff = spawnSync(
      path.join(root, "node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/postgres/schema.prisma", "--script", "--config", "prisma/postgres/prisma.config.ts"],
      // diff opens the adapter's database though it only reads the schema: give it this one
      { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: direct.url } },
    );
    expect(diff.status).toBe(0);
    await direct.client.query(diff.stdout);

    const built = await shape(migrated.client);
    expect(built.some((line) => line.startsWith('column MetricChunk.values bytea'))).toBe(true);
    expect(built).toEqual(await shape(direct.client));
  });

  it("run once when many processes start together", async () => {
    const { url, client } = await freshDatabase("migrations_race");
    const applied = await Promise.all(Array.from({ length: 4 }, () => migratePostgres(url)));
    expect(applied.flat()).toEqual(["20261205000000_init"]);
    expect((await client.query('SELECT migration_name FROM "_prisma_migrations"')).rows).toEqual([{ migration_name: "20261205000000_init" }]);
  });
});
