// Experiments: a titled notebook and its runs. Deleting one removes its runs' rows (cascade) and files.
import { db } from "./db";
import { conflict, notFound, toApiError } from "./errors";
import { removeRunFiles } from "./files";
import type { ExperimentCreate, ExperimentPatch } from "./schemas";
import { slugify, uniqueSlug } from "./slug";

export interface ExperimentSummary {
  id: string;
  title: string;
  slug: string;
  createdAt: string;
  updatedAt: string;
  runCount: number;
}

export interface ExperimentDetail extends ExperimentSummary {
  notebook: string;
  /** The notebook's save count: what a client sends back as `baseVersion` with its next save. */
  version: number;
}

type Row = { id: string; title: string; slug: string; createdAt: Date; updatedAt: Date; _count: { runs: number } };

function summary(r: Row): ExperimentSummary {
  return {
    id: r.id,
    title: r.title,
    slug: r.slug,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    runCount: r._count.runs,
  };
}

const withCount = { _count: { select: { runs: true } } } as const;

export async function createExperiment(input: ExperimentCreate): Promise<{ id: string; slug: string }> {
  const base = slugify(input.title);
  // Two creates racing for the same slug: the unique index refuses one, which then picks the next free slug.
  for (let attempt = 0; ; attempt++) {
    const rows = await db().experiment.findMany({
      where: { OR: [{ slug: base }, { slug: { startsWith: `${base}-` } }] },
      select: { slug: true },
    });
    const slug = uniqueSlug(base, new Set(rows.map((r) => r.slug)));
    try {
      const created = await db().experiment.create({
        data: { title: input.title, slug, notebook: input.notebook ?? "" },
        select: { id: true, slug: true },
      });
      return created;
    } catch (err) {
      if (toApiError(err).status !== 409 || attempt >= 9) throw err;
    }
  }
}

/** Newest activity first. */
export async function listExperiments(): Promise<ExperimentSummary[]> {
  const rows = await db().experiment.findMany({ include: withCount, orderBy: { updatedAt: "desc" } });
  return rows.map(summary);
}

/** By id or by slug (pages use slugs in URLs). */
export async function getExperiment(idOrSlug: string): Promise<ExperimentDetail> {
  const row = await db().experiment.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    include: withCount,
  });
  if (!row) throw notFound("experiment", idOrSlug);
  return { ...summary(row), notebook: row.notebook, version: row.version };
}

/**
 * Renames or saves the notebook. The slug stays: links to the experiment keep working after a rename. A notebook
 * save bumps `version`; a rename does not (it cannot lose anyone's text, and must not make an open editor's next
 * save fail). With `baseVersion`, the write is one conditional update on (id, version), so of two saves from the
 * same version exactly one wins; the other gets a 409 that carries the text and version it ran into.
 */
export async function updateExperiment(id: string, patch: ExperimentPatch): Promise<ExperimentDetail> {
  const { baseVersion, ...fields } = patch;
  const where = baseVersion === undefined ? { id } : { id, version: baseVersion };
  const data = fields.notebook === undefined ? fields : { ...fields, version: { increment: 1 } };
  // One SQLite transaction: the answer is the row as this write left it, never a later save's text and version
  // (which the client would take as its own base and then overwrite).
  const [{ count }, row] = await db().$transaction([
    db().experiment.updateMany({ where, data }),
    db().experiment.findUnique({ where: { id }, include: withCount }),
  ]);
  if (!row || (count === 0 && baseVersion === undefined)) throw notFound("experiment", id);
  if (count === 0) {
    throw conflict(`the notebook changed since version ${baseVersion}: it is at version ${row.version} now`, {
      version: row.version,
      notebook: row.notebook,
      updatedAt: row.updatedAt.toISOString(),
    });
  }
  return { ...summary(row), notebook: row.notebook, version: row.version };
}

/** Deletes the experiment, its runs and everything they stored (rows by cascade, files here). */
export async function deleteExperiment(id: string): Promise<void> {
  const runs = await db().run.findMany({ where: { experimentId: id }, select: { id: true } });
  const { count } = await db().experiment.deleteMany({ where: { id } });
  if (count === 0) throw notFound("experiment", id);
  // Files go after the rows: a failure here leaves unreachable files, never rows pointing at missing files.
  await removeRunFiles(runs.map((r) => r.id));
}
