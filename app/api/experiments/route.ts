import { createExperiment, listExperiments } from "@/lib/tracker/experiments";
import { json, otherMethods, readJsonAs, route } from "@/lib/tracker/http";
import { experimentCreate } from "@/lib/tracker/schemas";

export const GET = route(async () => json({ experiments: await listExperiments() }));

/** {title, notebook?} → 201 {id, slug} */
export const POST = route(async (req) => json(await createExperiment(await readJsonAs(req, experimentCreate)), 201));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
