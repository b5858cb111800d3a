import { createCheckpoint, listCheckpoints } from "@/lib/tracker/checkpoints";
import { ApiError } from "@/lib/tracker/errors";
import { json, otherMethods, parseWith, query, readForm, route } from "@/lib/tracker/http";
import { FORM_OVERHEAD_BYTES, maxUploadBytes } from "@/lib/tracker/limits";
import { checkpointFields } from "@/lib/tracker/schemas";

type Params = { id: string };

export const GET = route<Params>(async (_req, { id }) => json({ checkpoints: await listCheckpoints(id) }));

/** A form value that may be a text field or a file part. */
async function text(v: FormDataEntryValue | null): Promise<string | null> {
  return v === null ? null : typeof v === "string" ? v : v.text();
}

/**
 * multipart: modelJson + weights + step → 201 the checkpoint with modelUrl/weightsUrl. Also takes the body TF.js's
 * own `model.save(tf.io.http(url))` sends (parts `model.json` and `model.weights.bin`), with step in the query.
 */
export const POST = route<Params>(async (req, { id }) => {
  const form = await readForm(req, maxUploadBytes() + FORM_OVERHEAD_BYTES);
  const modelJson = await text(form.get("modelJson") ?? form.get("model.json"));
  const weights = form.get("weights") ?? form.get("model.weights.bin");
  if (modelJson === null) throw new ApiError(422, "invalid_input", "modelJson: expected the model JSON");
  if (!(weights instanceof Blob)) throw new ApiError(422, "invalid_input", "weights: expected a binary file part");
  const { step } = parseWith(checkpointFields, { step: form.get("step") ?? query(req).step });
  const bytes = new Uint8Array(await weights.arrayBuffer());
  return json(await createCheckpoint(id, step, modelJson, bytes), 201);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
