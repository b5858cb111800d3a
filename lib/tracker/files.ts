// Where uploaded files live under DATA_DIR, and their lifecycle. Paths stored in the database are relative to
// DATA_DIR so the folder can move; they are only ever built from ids made by this module's callers.
import fs from "node:fs/promises";
import path from "node:path";
import { dataDir } from "./paths";

export type FileKind = "samples" | "checkpoints";

/**
 * Joins stored-path parts. Runtime data, not source: the comment keeps Next's file tracer from copying the whole
 * project into the server bundle because of a path it cannot resolve at build time.
 */
export function storePath(...parts: string[]): string {
  return path.join(/*turbopackIgnore: true*/ ...parts);
}

/** Relative path of a run's folder for one kind of file. */
export function runFolder(kind: FileKind, runId: string): string {
  return storePath(kind, safeName(runId));
}

/** Absolute path for a stored relative path, refusing anything that would escape DATA_DIR. */
export function absolute(relative: string): string {
  const root = dataDir();
  const full = path.resolve(/*turbopackIgnore: true*/ root, relative);
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`path escapes the data folder: ${relative}`);
  return full;
}

function safeName(name: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`unsafe file name: ${name}`);
  return name;
}

/** Writes a new file (never overwriting), creating its folder. */
export async function writeNew(relative: string, data: Uint8Array | string): Promise<void> {
  const full = absolute(relative);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, data, { flag: "wx" });
}

/** Removes a file or folder; a missing one is fine (deletes are idempotent). */
export async function remove(relative: string): Promise<void> {
  await fs.rm(absolute(relative), { recursive: true, force: true });
}

/** Removes every stored file of the given runs. */
export async function removeRunFiles(runIds: readonly string[]): Promise<void> {
  for (const id of runIds) {
    await remove(runFolder("samples", id));
    await remove(runFolder("checkpoints", id));
  }
}
