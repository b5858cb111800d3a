// vitest globalSetup of the `postgres` test project: one temp PostgreSQL server for the run (each test file makes
// its own database on it: test/helpers/temp-db.ts).
import type { TestProject } from "vitest/node";
import { startTempPostgres } from "../../scripts/temp-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** The temp server's admin URL; absent outside the postgres project */
    postgresUrl?: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTempPostgres();
  project.provide("postgresUrl", server.url);
  return () => server.stop();
}
