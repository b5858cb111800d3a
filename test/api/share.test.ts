import { tempDb } from "../helpers/temp-db";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as shares from "@/app/api/share/route";
import * as share from "@/app/api/share/[id]/route";
import * as runs from "@/app/api/runs/route";
import * as samples from "@/app/api/runs/[id]/samples/route";
import { grantedRunIds, grantsExperiment, grantsRun, grantsSample, resolveShare } from "@/lib/tracker/share";
import { png } from "./fixtures";
import { bodyOf, call, noParams } from "./http";
import { newExperiment } from "./setup";

const create = (body: unknown) => call(shares.POST, "POST", "/api/share", noParams, { body });
const list = async () => (await bodyOf(await call(shares.GET, "GET", "/api/share", noParams))).shares;
const revoke = (id: string) => call(share.DELETE, "DELETE", `/api/share/${id}`, { id });
const tokenOf = (url: string) => url.slice("/s/".length);

async function newRunIn(experimentId: string, name: string): Promise<string> {
  const res = await call(runs.POST, "POST", "/api/runs", noParams, { body: { experimentId, name, code: "" } });
  return (await bodyOf(res)).id;
}

async function arrange() {
  const experimentId = await newExperiment();
  const a = await newRunIn(experimentId, "a");
  const b = await newRunIn(experimentId, "b");
  const other = await newRunIn(await newExperiment("other"), "c");
  const form = new FormData();
  form.set("file", new Blob([png(2, 2)]), "s.png");
  form.set("name", "video");
  form.set("step", "1");
  const sampleOf = async (runId: string) =>
    (await bodyOf(await call(samples.POST, "POST", "/x", { id: runId }, { body: form }))).id as string;
  return { experimentId, a, b, other, sampleA: await sampleOf(a), sampleB: await sampleOf(b) };
}

describe("POST /api/share", () => {
  it("creates a link with a 256-bit base64url token that resolves to what it names", async () => {
    const { a } = await arrange();
    const res = await create({ type: "run", ids: [a] });
    expect(res.status).toBe(201);
    const body = await bodyOf(res);
    expect(body).toMatchObject({ type: "run", ids: [a], expiresAt: null, state: "active" });
    expect(typeof body.id).toBe("string");
    expect(Date.parse(body.createdAt)).not.toBeNaN();
    expect(body.url).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(tokenOf(body.url), "base64url")).toHaveLength(32);
    expect(await resolveShare(tokenOf(body.url))).toEqual({ id: body.id, type: "run", ids: [a] });
  });

  it("stores only the token's SHA-256, never the token", async () => {
    const { a } = await arrange();
    const { id, url } = await bodyOf(await create({ type: "run", ids: [a] }));
    const token = tokenOf(url);
    const [row] = await tempDb.query('SELECT * FROM "ShareLink" WHERE id = ?', id);
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    const sql = 'SELECT CAST(COUNT(*) AS INTEGER) AS n FROM "ShareLink" WHERE "tokenHash" = ? OR ids LIKE ?';
    expect(await tempDb.query(sql, token, `%${token}%`)).toEqual([{ n: 0 }]);
  });

  it("makes a different token each time", async () => {
    const { a } = await arrange();
    const urls = new Set<string>();
    for (let i = 0; i < 5; i++) urls.add((await bodyOf(await create({ type: "run", ids: [a] }))).url);
    expect(urls.size).toBe(5);
  });

  it("takes an experiment, a comparison of 2 to 8 runs, and a future expiry", async () => {
    const { experimentId, a, b } = await arrange();
    expect((await create({ type: "experiment", ids: [experimentId] })).status).toBe(201);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await create({ type: "compare", ids: [a, b], expiresAt });
    expect(res.status).toBe(201);
    expect(await bodyOf(res)).toMatchObject({ type: "compare", ids: [a, b], expiresAt });
  });

  it("answers 422 with a message for a bad body", async () => {
    const { experimentId, a, b } = await arrange();
    const past = new Date(Date.now() - 1000).toISOString();
    const cases: [unknown, string][] = [
      [{ type: "folder", ids: [a] }, "type"],
      [{ type: "run", ids: [] }, "ids: a run link names one run"],
      [{ type: "run", ids: [a, b] }, "ids: a run link names one run"],
      [{ type: "experiment", ids: [experimentId, experimentId] }, "ids: an experiment link names one experiment"],
      [{ type: "compare", ids: [a] }, "ids: a comparison names at least 2 runs"],
      [{ type: "compare", ids: Array.from({ length: 9 }, (_, i) => `r${i}`) }, "ids: a comparison names at most 8"],
      [{ type: "compare", ids: [a, a] }, "ids: a run appears twice"],
      [{ type: "run", ids: [a], expiresAt: past }, "expiresAt: must be in the future"],
      [{ type: "run", ids: [a], expiresAt: "tomorrow" }, "expiresAt"],
      [{ ids: [a] }, "type"],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await bodyOf(res)).error.message).toContain(message);
    }
    expect((await create("{")).status).toBe(400);
  });

  it("answers 404 naming an id that does not exist, and stores nothing", async () => {
    const { a } = await arrange();
    const before = (await list()).length;
    for (const body of [
      { type: "run", ids: ["nope"] },
      { type: "experiment", ids: [a] }, // a run id is not an experiment
      { type: "compare", ids: [a, "nope"] },
    ]) {
      const res = await create(body);
      expect(res.status).toBe(404);
      expect((await bodyOf(res)).error.message).toMatch(/(run|experiment) (nope|\S+) not found/);
    }
    expect((await list()).length).toBe(before);
  });
});

describe("GET /api/share and DELETE /api/share/:id", () => {
  it("lists links newest first without tokens; revoking makes the token dead", async () => {
    const { a, b } = await arrange();
    const first = await bodyOf(await create({ type: "run", ids: [a] }));
    const second = await bodyOf(await create({ type: "compare", ids: [a, b] }));
    const listed = await list();
    expect(listed.slice(0, 2).map((s: { id: string }) => s.id)).toEqual([second.id, first.id]);
    expect(JSON.stringify(listed)).not.toContain(tokenOf(first.url));
    for (const s of listed) expect(Object.keys(s).sort()).toEqual(["createdAt", "expiresAt", "id", "ids", "revokedAt", "state", "type"]);

    expect((await revoke(first.id)).status).toBe(204);
    expect(await resolveShare(tokenOf(first.url))).toBeNull();
    expect(await resolveShare(tokenOf(second.url))).not.toBeNull();
    const after = (await list()).find((s: { id: string }) => s.id === first.id);
    expect(after).toMatchObject({ state: "revoked" });
    expect(Date.parse(after.revokedAt)).not.toBeNaN();
    expect((await revoke(first.id)).status).toBe(204); // idempotent
  });

  it("answers 404 when revoking an unknown link", async () => {
    const res = await revoke("nope");
    expect(res.status).toBe(404);
    expect((await bodyOf(res)).error.code).toBe("not_found");
  });
});

describe("resolveShare", () => {
  it("answers null once the link expired (its expiry moved into the past in the database)", async () => {
    const { a } = await arrange();
    const { id, url } = await bodyOf(await create({ type: "run", ids: [a], expiresAt: new Date(Date.now() + 60_000).toISOString() }));
    expect(await resolveShare(tokenOf(url))).not.toBeNull();
    await tempDb.query('UPDATE "ShareLink" SET "expiresAt" = ? WHERE id = ?', new Date(Date.now() - 1000), id);
    expect(await resolveShare(tokenOf(url))).toBeNull();
    expect((await list()).find((s: { id: string }) => s.id === id)).toMatchObject({ state: "expired" });
  });

  it("answers null for unknown and malformed tokens", async () => {
    const { a } = await arrange();
    const { url } = await bodyOf(await create({ type: "run", ids: [a] }));
    const token = tokenOf(url);
    const flipped = (token[0] === "A" ? "B" : "A") + token.slice(1);
    for (const t of [flipped, "", "x", token + "A", token.slice(1), "../../etc/passwd"]) expect(await resolveShare(t)).toBeNull();
  });
});

describe("what a link grants", () => {
  it("a run link reaches that run and its samples, never its experiment or the experiment's other runs", async () => {
    const { experimentId, a, b, other, sampleA, sampleB } = await arrange();
    const grant = (await resolveShare(tokenOf((await bodyOf(await create({ type: "run", ids: [a] }))).url)))!;
    expect(await grantsRun(grant, a)).toBe(true);
    expect(await grantsSample(grant, sampleA)).toBe(true);
    expect(await grantsRun(grant, b)).toBe(false);
    expect(await grantsRun(grant, other)).toBe(false);
    expect(await grantsSample(grant, sampleB)).toBe(false);
    expect(await grantsSample(grant, "nope")).toBe(false);
    expect(grantsExperiment(grant, experimentId)).toBe(false);
    expect(await grantedRunIds(grant)).toEqual([a]);
  });

  it("a comparison reaches its runs only; an experiment link reaches the experiment and all its runs", async () => {
    const { experimentId, a, b, other, sampleB } = await arrange();
    const compare = (await resolveShare(tokenOf((await bodyOf(await create({ type: "compare", ids: [a, b] }))).url)))!;
    expect([await grantsRun(compare, a), await grantsRun(compare, b), await grantsRun(compare, other)]).toEqual([true, true, false]);
    expect(grantsExperiment(compare, experimentId)).toBe(false);
    const exp = (await resolveShare(tokenOf((await bodyOf(await create({ type: "experiment", ids: [experimentId] }))).url)))!;
    expect(grantsExperiment(exp, experimentId)).toBe(true);
    expect([await grantsRun(exp, a), await grantsRun(exp, b), await grantsRun(exp, other)]).toEqual([true, true, false]);
    expect(await grantsSample(exp, sampleB)).toBe(true);
    expect((await grantedRunIds(exp)).sort()).toEqual([a, b].sort());
  });
});
