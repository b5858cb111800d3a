// What the kernel routes accept: a page's commands for a server kernel, checked here before any reaches the kernel's
// process, and the request that opens one.
import { z } from "zod";
import type { KernelCommand } from "../protocol";

/** A notebook's text is far below this (the tracker's limit on a run's code). */
const MAX_CODE = 1_000_000;
const id = z.string().min(1).max(200);
const backend = z.enum(["webgpu", "webgl", "native", "wasm", "cpu"]);
const runEnd = z.enum(["finished", "failed", "interrupted"]);

export const kernelCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("init"), backend: backend.optional(), trackerUrl: z.string().max(2000).optional() }),
  z.object({
    type: z.literal("start-run"),
    run: z.object({
      experimentId: id,
      code: z.string().max(MAX_CODE),
      name: z.string().max(200).optional(),
      seed: z.int32().optional(),
    }),
    wholeNotebook: z.boolean().optional(),
  }),
  z.object({ type: z.literal("end-run"), status: runEnd, error: z.string().max(10_000).optional() }),
  z.object({ type: z.literal("run-cell"), cellId: id, code: z.string().max(MAX_CODE) }),
  z.object({ type: z.literal("interrupt") }),
  z.object({ type: z.literal("ping"), id: z.int32() }),
  z.object({ type: z.literal("restart") }),
  z.object({ type: z.literal("delete-cell"), cellId: id }),
  z.object({ type: z.literal("set-config"), overrides: z.record(z.string(), z.json()) }),
]) satisfies z.ZodType<KernelCommand>;

export const kernelCommands = z.object({ commands: z.array(kernelCommand).min(1).max(1000) });

export const kernelOpen = z.object({
  /** The notebook's experiment, by id or slug. */
  experimentId: id,
  /** Join the kernel already running for this notebook, if any, instead of starting another. */
  attach: z.boolean().default(false),
});

export const kernelShutdown = z.object({ reason: z.enum(["shut down", "replaced"]).default("shut down") });
