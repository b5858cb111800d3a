// Page-side glue: the tracker throws ApiError(404) for a missing record; a page shows Next's not-found page instead.
import { notFound } from "next/navigation";
import { ApiError } from "@/lib/tracker/errors";

export async function orNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  }
}
