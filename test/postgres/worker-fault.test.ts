// A worker killed mid-job loses no job and mixes no metric: two workers, six jobs, one worker SIGKILLed while it
// trains. pg-boss's supervisor (in the surviving worker) sees the dead worker's heartbeat stop and retries its job as
// a new attempt, a new run; the killed attempt's run keeps the steps it logged and nothing else.
import { tempDb } from "../helpers/temp-db";
import { afterAll, describe, expect, it } from "vitest";
import { appBoss } from "@/lib/queue/app-boss";
import { sweepJobStates } from "@/lib/queue/sweep-jobs";
import { readSeries } from "@/lib/tracker/metrics";
import { getSweep, sweepRuns } from "@/lib/tracker/sweeps";
import { start, stepsNotebook, waitFor, zoetrope } from "./cli";

const STEPS = 40;
const notebook = stepsNotebook(tempDb.root);
afterAll(async () => (await appBoss()).stop({ graceful: false }));

describe("two workers, one killed mid-run", () => {
  it("ends every job finished, with exactly one finished run each whose metrics are steps 0…N−1 once", async () => {
    // The shortest heartbeat pg-boss takes, so the lost job is retried within seconds.
    const env = { ZOETROPE_QUEUE_HEARTBEAT_SECONDS: "10" };
    const r = await zoetrope(["sweep", notebook, "--grid", "lr=1,2,3,4,5,6", "--set", `steps=${STEPS}`, "--set", "stepMs=100", "--queue", "fault", "--backend", "cpu"], env);
    const id = /sweep (sw[0-9a-f]{16})/.exec(r.stdout)![1];
    const doomed = start(["worker", "--queue", "fault"]);
    const survivor = start(["worker", "--queue", "fault"]);

    // Kill the first worker once its job has logged a few steps.
    const victim = await waitFor("a job of the doomed worker to log", async () => {
      for (const run of await sweepRuns(id)) {
        if (!String(run.device?.worker).endsWith(`:${doomed.child.pid}`)) continue;
        if (((await readSeries(run.id)).get("loss")?.total ?? 0) >= 5) return run;
      }
      return undefined;
    });
    doomed.child.kill("SIGKILL");
    const killedAt = Date.now();

    const boss = await appBoss();
    const sweep = await getSweep(id);
    const jobs = await waitFor(
      "every job to finish",
      async () => {
        const s = await sweepJobStates(boss, sweep);
        return s.every((j) => j.state === "completed") && s;
      },
      120_000,
      500,
    );
    expect(jobs.map((j) => j.job)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(jobs.find((j) => j.job === victim.sweep!.job)!.attempts).toBe(2);

    const runs = await sweepRuns(id);
    for (let job = 0; job < 6; job++) {
      const finished = runs.filter((run) => run.sweep!.job === job && run.status === "finished");
      expect(finished, `job ${job}`).toHaveLength(1);
      const loss = (await readSeries(finished[0].id)).get("loss")!;
      expect(Array.from(loss.steps), `job ${job}`).toEqual([...Array(STEPS).keys()]);
      expect(loss.values[STEPS - 1]).toBe((job + 1) * (STEPS - 1));
    }
    // The killed attempt: ended (its child saw the worker go and stopped), with a prefix of the steps, each once.
    const killed = runs.find((run) => run.id === victim.id)!;
    expect(killed.sweep).toEqual({ id, job: victim.sweep!.job, attempt: 1 });
    expect(["interrupted", "failed"]).toContain(killed.status);
    const partial = Array.from((await readSeries(killed.id)).get("loss")!.steps);
    expect(partial.length).toBeGreaterThanOrEqual(5);
    expect(partial.length).toBeLessThan(STEPS);
    expect(partial).toEqual([...Array(partial.length).keys()]);
    expect(runs).toHaveLength(7);

    survivor.child.kill("SIGINT");
    expect((await survivor.exited).code).toBe(0);
    const retried = runs.find((run) => run.sweep!.job === victim.sweep!.job && run.sweep!.attempt === 2)!;
    const after = ((Date.parse(retried.startedAt) - killedAt) / 1000).toFixed(1);
    console.log(`fault: job ${victim.sweep!.job + 1}'s worker killed after ${partial.length} steps; attempt 2 started ${after} s later and finished`);
  }, 180_000);
});
