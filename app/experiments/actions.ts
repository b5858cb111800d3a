"use server";

// A person's edits to experiments, from the forms on `/`. Machine traffic goes through app/api instead.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { FormState } from "@/components/experiments/formState";
import { toApiError } from "@/lib/tracker/errors";
import { createExperiment, deleteExperiment, updateExperiment } from "@/lib/tracker/experiments";
import { experimentCreate } from "@/lib/tracker/schemas";

const idField = z.object({ id: z.string().min(1).max(100) });
const renameFields = idField.extend({ title: experimentCreate.shape.title });

/** Runs `fn` on the validated form; any failure comes back as a message for the form, never as a thrown error. */
async function handle<S extends z.ZodType>(
  schema: S,
  data: FormData,
  fn: (input: z.output<S>) => Promise<unknown>,
): Promise<FormState> {
  const parsed = schema.safeParse(Object.fromEntries(data));
  if (!parsed.success) return { ok: false, error: messageOf(parsed.error) };
  try {
    await fn(parsed.data);
  } catch (err) {
    return { ok: false, error: toApiError(err).message };
  }
  // The list shows titles and counts; experiment pages show the title too.
  revalidatePath("/");
  revalidatePath("/experiments/[id]", "page");
  return { ok: true };
}

function messageOf(err: z.ZodError): string {
  const issue = err.issues[0];
  if (issue?.path[0] === "title") return issue.code === "too_big" ? "The title is too long." : "Give it a title.";
  return issue?.message ?? "Invalid input.";
}

export async function createExperimentAction(_prev: FormState, data: FormData): Promise<FormState> {
  return handle(experimentCreate.pick({ title: true }), data, (input) => createExperiment(input));
}

export async function renameExperimentAction(_prev: FormState, data: FormData): Promise<FormState> {
  return handle(renameFields, data, ({ id, title }) => updateExperiment(id, { title }));
}

export async function deleteExperimentAction(_prev: FormState, data: FormData): Promise<FormState> {
  return handle(idField, data, ({ id }) => deleteExperiment(id));
}
