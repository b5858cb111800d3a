// Saving a notebook from two tabs: a save names the version it started from, and one that is behind is refused with
// the text it would have overwritten, so the page can offer "load theirs / keep mine" instead of losing either.
import { tempDb } from "../helpers/temp-db";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as item from "@/app/api/experiments/[id]/route";
import { bodyOf, call } from "./http";
import { newExperiment } from "./setup";

function patch(id: string, body: unknown) {
  return call(item.PATCH, "PATCH", `/api/experiments/${id}`, { id }, { body });
}

async function get(id: string) {
  return bodyOf(await call(item.GET, "GET", `/api/experiments/${id}`, { id }));
}

describe("PATCH /api/experiments/:id with baseVersion", () => {
  it("starts a new experiment at version 0", async () => {
    const id = await newExperiment();
    expect((await get(id)).version).toBe(0);
  });

  it("saves from the current version, answers 200 and bumps the version by one", async () => {
    const id = await newExperiment();
    const res = await patch(id, { notebook: "// %%\nlog('a', 1)", baseVersion: 0 });
    expect(res.status).toBe(200);
    const saved = await bodyOf(res);
    expect([saved.notebook, saved.version]).toEqual(["// %%\nlog('a', 1)", 1]);
    const again = await bodyOf(await patch(id, { notebook: "second", baseVersion: 1 }));
    expect(again.version).toBe(2);
    expect(await get(id)).toMatchObject({ notebook: "second", version: 2 });
  });

  it("refuses a stale version with 409, the current text and version, and overwrites nothing", async () => {
    const id = await newExperiment();
    await patch(id, { notebook: "theirs", baseVersion: 0 });
    const before = await get(id);

    const res = await patch(id, { notebook: "mine", baseVersion: 0 });
    expect(res.status).toBe(409);
    const { error } = await bodyOf(res);
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("changed since version 0");
    expect(error.version).toBe(1);
    expect(error.notebook).toBe("theirs");
    expect(error.updatedAt).toBe(before.updatedAt);
    expect(await get(id)).toEqual(before);
  });

  it("lets exactly one of two saves from the same version through", async () => {
    const id = await newExperiment();
    const [a, b] = await Promise.all([
      patch(id, { notebook: "tab A", baseVersion: 0 }),
      patch(id, { notebook: "tab B", baseVersion: 0 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const saved = await bodyOf(winner);
    expect(saved.version).toBe(1);
    expect((await bodyOf(loser)).error).toMatchObject({ version: 1, notebook: saved.notebook });
    expect(await get(id)).toMatchObject({ notebook: saved.notebook, version: 1 });
  });

  it("keeps last-write-wins for a save without baseVersion, still bumping the version", async () => {
    const id = await newExperiment();
    await patch(id, { notebook: "one", baseVersion: 0 });
    const res = await patch(id, { notebook: "from the CLI" });
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ notebook: "from the CLI", version: 2 });
  });

  it("does not bump the version on a rename, and checks baseVersion when one is given", async () => {
    const id = await newExperiment();
    await patch(id, { notebook: "text", baseVersion: 0 });
    expect(await bodyOf(await patch(id, { title: "Renamed" }))).toMatchObject({ title: "Renamed", version: 1 });
    expect((await patch(id, { title: "Renamed again", baseVersion: 1 })).status).toBe(200);
    expect((await patch(id, { title: "From a stale tab", baseVersion: 0 })).status).toBe(409);
    expect(await get(id)).toMatchObject({ title: "Renamed again", notebook: "text", version: 1 });
  });

  it("answers 404 for an unknown experiment, with or without baseVersion", async () => {
    for (const body of [{ notebook: "x", baseVersion: 0 }, { notebook: "x" }]) {
      const res = await patch("nope", body);
      expect(res.status).toBe(404);
      expect((await bodyOf(res)).error.code).toBe("not_found");
    }
  });

  it("answers 422 for a baseVersion that is not a non-negative 32-bit integer", async () => {
    const id = await newExperiment();
    for (const baseVersion of [-1, 1.5, "0", null, 2 ** 31]) {
      const res = await patch(id, { notebook: "x", baseVersion });
      expect(res.status).toBe(422);
      const { error } = await bodyOf(res);
      expect(error.code).toBe("invalid_input");
      expect(error.issues[0].path).toBe("baseVersion");
    }
    expect((await get(id)).version).toBe(0);
  });

});

describe("migration 20261129000000_experiment_version", () => {
  it("gives existing experiments version 0 and keeps their runs", () => {
    const migrations = path.resolve("prisma", "migrations");
    const sql = (name: string) => fs.readFileSync(path.join(migrations, name, "migration.sql"), "utf8");
    const db = new Database(path.join(tempDb.root, "before-version.db"));
    try {
      db.exec(sql("20261125000000_init"));
      db.exec(`PRAGMA foreign_keys = ON`);
      db.prepare(`INSERT INTO "Experiment" (id, title, slug, notebook, updatedAt) VALUES ('e1', 'Old', 'old', 'text', 0)`).run();
      db.prepare(`INSERT INTO "Run" (id, experimentId, name, code) VALUES ('r1', 'e1', 'run', 'x')`).run();
      db.exec(sql("20261129000000_experiment_version"));
      expect(db.prepare(`SELECT notebook, version FROM "Experiment"`).all()).toEqual([{ notebook: "text", version: 0 }]);
      expect(db.prepare(`SELECT id FROM "Run"`).all()).toEqual([{ id: "r1" }]);
    } finally {
      db.close();
    }
  });
});
