// The tracker has two Prisma schemas, SQLite's (prisma/schema.prisma) and PostgreSQL's (prisma/postgres/), because
// Prisma cannot serve two providers from one. The code uses one client type for both, so their models must match.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(".");
const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const postgresSchema = path.join(root, "prisma", "postgres", "schema.prisma");

/** The schema's model blocks, from the first `model` on. */
function models(file: string): string {
  const text = readFileSync(file, "utf8");
  return text.slice(text.indexOf("\nmodel ") + 1);
}

/** `prisma validate` with one of the two CLI configs; validation needs no database. */
function validate(config: string) {
  return spawnSync(path.join(root, "node_modules/.bin/prisma"), ["validate", "--config", config], { cwd: root, encoding: "utf8" });
}

describe("the two tracker schemas", () => {
  it("describe the same models, field for field", () => {
    expect(models(postgresSchema)).toBe(models(sqliteSchema));
    expect(models(sqliteSchema)).toMatch(/^model Experiment \{/);
  });

  it("are each valid for their provider", () => {
    for (const [config, schema] of [
      ["prisma.config.ts", "prisma/schema.prisma"],
      ["prisma/postgres/prisma.config.ts", "prisma/postgres/schema.prisma"],
    ]) {
      const result = validate(config);
      expect(result.stdout + result.stderr).toContain(`The schema at ${schema} is valid`);
      expect(result.status).toBe(0);
    }
  });
});
