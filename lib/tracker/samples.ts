// Sample videos and images of a run. Bytes live in DATA_DIR/samples/<runId>/<id>.<ext>; the row describes them.
import { db } from "./db";
import { notFound, tooLarge, unsupportedMedia } from "./errors";
import { absolute, remove, runFolder, storePath, writeNew } from "./files";
import { newId } from "./ids";
import { maxUploadBytes } from "./limits";
import { sniff } from "./media";
import type { SampleFields } from "./schemas";

export interface SampleView {
  id: string;
  runId: string;
  name: string;
  step: number;
  mime: string;
  width: number | null;
  height: number | null;
  frames: number | null;
  fps: number | null;
  bytes: number;
  createdAt: string;
  /** where the bytes are served (with Range support) */
  url: string;
}

export const sampleUrl = (id: string) => `/api/samples/${id}`;

type Row = Omit<SampleView, "createdAt" | "url"> & { createdAt: Date; path: string };

function view({ path: _path, ...r }: Row): SampleView {
  return { ...r, createdAt: r.createdAt.toISOString(), url: sampleUrl(r.id) };
}

async function assertRun(runId: string) {
  if (!(await db().run.count({ where: { id: runId } }))) throw notFound("run", runId);
}

/** Stores an upload after checking its size and its magic bytes; width/height come from the header when it has them. */
export async function createSample(runId: string, fields: SampleFields, data: Uint8Array): Promise<SampleView> {
  const limit = maxUploadBytes();
  if (data.byteLength > limit) throw tooLarge(`file of ${data.byteLength} bytes is over the limit of ${limit} bytes`);
  const media = sniff(data);
  if (!media) throw unsupportedMedia("expected an MP4, WebM, GIF or PNG file");
  await assertRun(runId);
  const id = newId();
  const rel = storePath(runFolder("samples", runId), `${id}.${media.ext}`);
  await writeNew(rel, data);
  try {
    const row = await db().sample.create({
      data: {
        id,
        runId,
        name: fields.name,
        step: fields.step,
        mime: media.mime,
        width: media.width ?? fields.width ?? null,
        height: media.height ?? fields.height ?? null,
        frames: media.frames ?? fields.frames ?? null,
        fps: fields.fps ?? null,
        bytes: data.byteLength,
        path: rel,
      },
    });
    return view(row);
  } catch (err) {
    await remove(rel); // the run vanished meanwhile (or the insert failed): leave no orphan file
    throw err;
  }
}

/** By name, then step: the order a sample strip shows them. */
export async function listSamples(runId: string): Promise<SampleView[]> {
  await assertRun(runId);
  const rows = await db().sample.findMany({ where: { runId }, orderBy: [{ name: "asc" }, { step: "asc" }] });
  return rows.map(view);
}

export interface StoredFile {
  file: string;
  mime: string;
  bytes: number;
}

export async function sampleFile(id: string): Promise<StoredFile> {
  const row = await db().sample.findUnique({ where: { id }, select: { path: true, mime: true, bytes: true } });
  if (!row) throw notFound("sample", id);
  return { file: absolute(row.path), mime: row.mime, bytes: row.bytes };
}
