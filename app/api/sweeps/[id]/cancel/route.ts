import { appBoss } from "@/lib/queue/app-boss";
import { cancelSweepJobs } from "@/lib/queue/sweep-jobs";
import { invalid } from "@/lib/tracker/errors";
import { json, otherMethods, readJsonAs, route } from "@/lib/tracker/http";
import { sweepCancel } from "@/lib/tracker/schemas";
import { getSweep } from "@/lib/tracker/sweeps";

/** {jobs?: [index, …]} → {cancelled: n}: queued jobs never start, running ones stop at their next training step. */
export const POST = route<{ id: string }>(async (req, { id }) => {
  const { jobs } = await readJsonAs(req, sweepCancel);
  const sweep = await getSweep(id);
  const outside = jobs?.find((j) => j >= sweep.combos.length);
  if (outside !== undefined) throw invalid(`jobs: the sweep has jobs 0…${sweep.combos.length - 1}, not ${outside}`);
  return json({ cancelled: await cancelSweepJobs(await appBoss(), sweep, jobs) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
