import { appBoss } from "@/lib/queue/app-boss";
import { sweepJobStates } from "@/lib/queue/sweep-jobs";
import { json, otherMethods, route } from "@/lib/tracker/http";
import { getSweep, sweepRuns } from "@/lib/tracker/sweeps";

/** → {sweep (without its notebook text), jobs: each job's queue state, runs: every attempt's run}. */
export const GET = route<{ id: string }>(async (_req, { id }) => {
  const { notebook: _notebook, ...sweep } = await getSweep(id);
  const [jobs, runs] = await Promise.all([sweepJobStates(await appBoss(), sweep), sweepRuns(id)]);
  return json({ sweep, jobs, runs });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
