import { ApiError } from "@/lib/tracker/errors";
import { json, otherMethods, parseWith, readForm, route } from "@/lib/tracker/http";
import { FORM_OVERHEAD_BYTES, maxUploadBytes } from "@/lib/tracker/limits";
import { createSample, listSamples } from "@/lib/tracker/samples";
import { sampleFields } from "@/lib/tracker/schemas";

type Params = { id: string };

export const GET = route<Params>(async (_req, { id }) => json({ samples: await listSamples(id) }));

/** multipart: file, name, step, fps?, frames?, width?, height? → 201 the sample (its `url` serves the bytes). */
export const POST = route<Params>(async (req, { id }) => {
  const form = await readForm(req, maxUploadBytes() + FORM_OVERHEAD_BYTES);
  const file = form.get("file");
  if (!(file instanceof Blob)) throw new ApiError(422, "invalid_input", "file: expected a file part");
  const fields = parseWith(sampleFields, Object.fromEntries([...form].filter(([, v]) => typeof v === "string")));
  return json(await createSample(id, fields, new Uint8Array(await file.arrayBuffer())), 201);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
