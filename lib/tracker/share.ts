// Read-only share links /s/<token> to an experiment, a run or a comparison of runs. The token is 32 random bytes
// (256 bits) in base64url and is shown once, when the link is made; the database keeps only its SHA-256, so a copy
// of the database does not hand out working links. A hash without salt is enough here: the token is random and
// long, so there is nothing to guess from a dictionary.
import { createHash, randomBytes } from "node:crypto";
import { db } from "./db";
import { notFound } from "./errors";
import type { ShareCreate, ShareType } from "./schemas";

export interface ShareView {
  id: string;
  type: ShareType;
  ids: string[];
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** what opening the link does now */
  state: "active" | "expired" | "revoked";
}

/** The answer to a create: the only time the token (inside `url`) is ever shown. */
export interface CreatedShare extends ShareView {
  url: string;
}

/** What a valid link grants: read access to exactly these records (see the grants* helpers). */
export interface ShareGrant {
  id: string;
  type: ShareType;
  ids: string[];
}

const TOKEN_BYTES = 32;
/** base64url of 32 bytes: 43 characters, no padding. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const shareUrl = (token: string) => `/s/${token}`;

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

type Row = { id: string; type: string; ids: string; expiresAt: Date | null; createdAt: Date; revokedAt: Date | null };

function view(r: Row, now: number): ShareView {
  const state = r.revokedAt ? "revoked" : r.expiresAt && r.expiresAt.getTime() <= now ? "expired" : "active";
  return {
    id: r.id,
    type: r.type as ShareType,
    ids: JSON.parse(r.ids) as string[],
    expiresAt: r.expiresAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    state,
  };
}

const fields = { id: true, type: true, ids: true, expiresAt: true, createdAt: true, revokedAt: true } as const;

/** 404 names the first id that does not exist. */
async function assertTargets(input: ShareCreate): Promise<void> {
  if (input.type === "experiment") {
    if (!(await db().experiment.count({ where: { id: input.ids[0] } }))) throw notFound("experiment", input.ids[0]);
    return;
  }
  const found = await db().run.findMany({ where: { id: { in: input.ids } }, select: { id: true } });
  const known = new Set(found.map((r) => r.id));
  const missing = input.ids.find((id) => !known.has(id));
  if (missing !== undefined) throw notFound("run", missing);
}

export async function createShare(input: ShareCreate, now = Date.now()): Promise<CreatedShare> {
  await assertTargets(input);
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  const row = await db().shareLink.create({
    data: { tokenHash: hashToken(token), type: input.type, ids: JSON.stringify(input.ids), expiresAt: input.expiresAt ?? null },
    select: fields,
  });
  return { ...view(row, now), url: shareUrl(token) };
}

/** Every link, newest first, with its state; tokens cannot be listed (they are not stored). */
export async function listShares(now = Date.now()): Promise<ShareView[]> {
  const rows = await db().shareLink.findMany({ select: fields, orderBy: { createdAt: "desc" } });
  return rows.map((r) => view(r, now));
}

/** Revokes a link for good; the row stays so the list shows it. Revoking twice is fine; an unknown id is 404. */
export async function revokeShare(id: string, now = new Date()): Promise<void> {
  const { count } = await db().shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0 && !(await db().shareLink.count({ where: { id } }))) throw notFound("share link", id);
}

/** The grant behind a token; null for a malformed, unknown, revoked or expired one (all look the same outside). */
export async function resolveShare(token: string, now = Date.now()): Promise<ShareGrant | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db().shareLink.findUnique({ where: { tokenHash: hashToken(token) }, select: fields });
  if (!row || view(row, now).state !== "active") return null;
  return { id: row.id, type: row.type as ShareType, ids: JSON.parse(row.ids) as string[] };
}

/** Only an experiment link reaches an experiment; a run or comparison link never reaches the experiment around it. */
export function grantsExperiment(grant: ShareGrant, experimentId: string): boolean {
  return grant.type === "experiment" && grant.ids[0] === experimentId;
}

/**
 * A run link reaches its run, a comparison link its runs, an experiment link every run of the experiment. Reaching
 * a run means its record, metrics and samples; checkpoints are not shared (weights are not for viewing).
 */
export async function grantsRun(grant: ShareGrant, runId: string): Promise<boolean> {
  if (grant.type !== "experiment") return grant.ids.includes(runId);
  const run = await db().run.findUnique({ where: { id: runId }, select: { experimentId: true } });
  return run?.experimentId === grant.ids[0];
}

/** A sample is reachable when its run is. */
export async function grantsSample(grant: ShareGrant, sampleId: string): Promise<boolean> {
  const sample = await db().sample.findUnique({ where: { id: sampleId }, select: { runId: true } });
  return sample ? grantsRun(grant, sample.runId) : false;
}

/** The runs a grant reaches, newest first: what a shared page lists. */
export async function grantedRunIds(grant: ShareGrant): Promise<string[]> {
  const where = grant.type === "experiment" ? { experimentId: grant.ids[0] } : { id: { in: grant.ids } };
  const rows = await db().run.findMany({ where, select: { id: true }, orderBy: { startedAt: "desc" } });
  return rows.map((r) => r.id);
}

export interface ShareTarget {
  id: string;
  /** the experiment's title or the run's name; null when the record was deleted since */
  name: string | null;
  experimentId: string | null;
}

/** What each link names, for the list of links: one query per kind, whatever the number of links. */
export async function shareTargets(shares: ShareView[]): Promise<Map<string, ShareTarget[]>> {
  const experimentIds = shares.filter((s) => s.type === "experiment").flatMap((s) => s.ids);
  const runIds = shares.filter((s) => s.type !== "experiment").flatMap((s) => s.ids);
  const [experiments, runs] = await Promise.all([
    db().experiment.findMany({ where: { id: { in: experimentIds } }, select: { id: true, title: true } }),
    db().run.findMany({ where: { id: { in: runIds } }, select: { id: true, name: true, experimentId: true } }),
  ]);
  const titles = new Map(experiments.map((e) => [e.id, e.title]));
  const byRun = new Map(runs.map((r) => [r.id, r]));
  return new Map(
    shares.map((s) => [
      s.id,
      s.ids.map((id): ShareTarget => {
        if (s.type === "experiment") return { id, name: titles.get(id) ?? null, experimentId: id };
        const run = byRun.get(id);
        return { id, name: run?.name ?? null, experimentId: run?.experimentId ?? null };
      }),
    ]),
  );
}
