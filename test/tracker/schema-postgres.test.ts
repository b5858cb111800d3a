// The tracker runs on SQLite, but its schema must stay valid for PostgreSQL too (issue: "Foundation").
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(".");
const dir = mkdtempSync(path.join(tmpdir(), "zoetrope-pg-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `prisma validate` on the schema with its provider switched; validation needs no database. */
function validateAs(provider: string, edit: (schema: string) => string = (s) => s) {
  mkdirSync(path.join(dir, "prisma"), { recursive: true });
  const schema = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8")
    .replace('provider = "sqlite"', `provider = "${provider}"`)
    .replace(/output\s*=\s*".*"/, `output = "${path.join(dir, "generated")}"`);
  writeFileSync(path.join(dir, "prisma/schema.prisma"), edit(schema));
  // The JS engine keeps the CLI offline; validate never opens the adapter.
  writeFileSync(
    path.join(dir, "prisma.config.ts"),
    `import { defineConfig } from "prisma/config";
export default defineConfig({ schema: "prisma/schema.prisma", experimental: { adapter: true }, engine: "js",
  adapter: async () => { throw new Error("validate only"); } } as never);\n`,
  );
  try {
    symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  } catch {
    // already linked by an earlier call
  }
  return spawnSync(path.join(root, "node_modules/.bin/prisma"), ["validate"], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: "postgresql://user:pass@127.0.0.1:5432/zoetrope" },
    encoding: "utf8",
  });
}

describe("prisma schema", () => {
  it("is valid for PostgreSQL", () => {
    const result = validateAs("postgresql");
    expect(result.stdout + result.stderr).toContain("is valid");
    expect(result.status).toBe(0);
  });

  it("fails validation when a type is wrong (the check can fail)", () => {
    const result = validateAs("postgresql", (s) => s.replace("steps   Bytes", "steps   Blob"));
    expect(result.status).not.toBe(0);
  });
});
