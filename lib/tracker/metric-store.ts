// Where metric chunks are stored: one MetricChunk row per (batch, key) holding little-endian Float64 blobs. Two
// implementations of the same SQL, one per database (raw connections, not Prisma: this is the hot path).
import type { ParsedBatch } from "./metric-points";
import { isPostgresUrl } from "./paths";

export interface IngestResult {
  accepted: number;
  /** true when this batch number was already stored for the run: nothing was written */
  duplicate: boolean;
}

export interface KeyInfo {
  key: string;
  count: number;
  firstStep: number;
  lastStep: number;
}

export interface ChunkRow {
  count: number;
  minStep: number;
  maxStep: number;
  batch: number;
  steps: Uint8Array;
  values: Uint8Array;
  times: Uint8Array;
}

export interface MetricStore {
  /** Stores one batch atomically, and touches the run's heartbeat; a batch number seen before is a no-op. */
  ingest(runId: string, parsed: ParsedBatch, now: Date): Promise<IngestResult>;
  runExists(runId: string): Promise<boolean>;
  keys(runId: string): Promise<KeyInfo[]>;
  /** The chunks of one key overlapping [from, to], in batch order. */
  chunks(runId: string, key: string, from: number, to: number): Promise<ChunkRow[]>;
  /** Per key, the chunk holding its highest step. */
  lastChunks(runId: string): Promise<{ key: string; steps: Uint8Array; values: Uint8Array }[]>;
}

export async function metricStore(): Promise<MetricStore> {
  return isPostgresUrl() ? (await import("./metric-store-postgres")).postgresMetrics : (await import("./metric-store-sqlite")).sqliteMetrics;
}

/** A Float64Array's bytes, without copying. */
export const blob = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
