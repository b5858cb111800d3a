// Queued sweeps end to end on a real PostgreSQL server: `zoetrope sweep --queue` enqueues through pg-boss,
// `zoetrope worker` runs the jobs as child processes recording into the tracker, the sweep API reports and cancels.
import { tempDb } from "../helpers/temp-db";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as cancelRoute from "@/app/api/sweeps/[id]/cancel/route";
import * as sweepRoute from "@/app/api/sweeps/[id]/route";
import { appBoss } from "@/lib/queue/app-boss";
import { sweepJobStates, type SweepJobState } from "@/lib/queue/sweep-jobs";
import { readSeries } from "@/lib/tracker/metrics";
import { getSweep, sweepRuns } from "@/lib/tracker/sweeps";
import { bodyOf, call } from "../api/http";
import { start, stepsNotebook, waitFor, zoetrope } from "./cli";

const notebook = stepsNotebook(tempDb.root);
afterAll(async () => (await appBoss()).stop({ graceful: false }));

/** Enqueues through the CLI and returns the sweep's id. */
async function enqueue(queue: string, grid: string, ...extra: string[]): Promise<string> {
  const r = await zoetrope(["sweep", notebook, "--grid", grid, "--queue", queue, "--backend", "cpu", ...extra]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return /sweep (sw[0-9a-f]{16})/.exec(r.stdout)![1];
}

async function states(sweepId: string): Promise<SweepJobState[]> {
  return sweepJobStates(await appBoss(), await getSweep(sweepId));
}

const allSettled = (sweepId: string) => async () => {
  const s = await states(sweepId);
  return s.every((j) => ["completed", "failed", "cancelled"].includes(j.state)) && s;
};

describe("zoetrope sweep --queue", () => {
  it("queues one job per combination and returns; the same sweep again adds nothing", async () => {
    const r1 = await zoetrope(["sweep", notebook, "--grid", "lr=1,2 steps=3,4", "--queue", "twice", "--backend", "cpu"]);
    expect(r1.code).toBe(0);
    const id = /sweep (sw[0-9a-f]{16}): 4 job\(s\) queued on "twice"/.exec(r1.stdout)![1];
    expect(r1.stdout).toContain(`/sweeps/${id}`);
    const r2 = await zoetrope(["sweep", notebook, "--grid", "lr=1,2 steps=3,4", "--queue", "twice", "--backend", "cpu"]);
    expect(r2.stdout).toContain(`sweep ${id} was queued before: nothing added (4 job(s) on "twice")`);
    expect((await states(id)).map((j) => j.state)).toEqual(["created", "created", "created", "created"]);
    expect(await tempDb.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM pgboss.job WHERE name = ?', "twice")).toEqual([{ n: 4 }]);
    expect((await getSweep(id)).combos).toEqual([
      { lr: 1, steps: 3 },
      { lr: 1, steps: 4 },
      { lr: 2, steps: 3 },
      { lr: 2, steps: 4 },
    ]);
    // A different grid is a different sweep.
    expect(await enqueue("twice", "lr=5")).not.toBe(id);
  });

  it("says in one line what to fix: a SQLite tracker, an unreachable server, a missing database, an unknown queue", async () => {
    const sqlite = await zoetrope(["sweep", notebook, "--grid", "lr=1", "--queue", "q"], { DATABASE_URL: `file:${path.join(tempDb.root, "x.db")}` });
    expect(sqlite.code).toBe(1);
    expect(sqlite.stderr.trim()).toMatch(/^zoetrope: queued sweeps and workers need the tracker on PostgreSQL: set DATABASE_URL=postgres:\/\/… \(now file:.*x\.db\)$/);

    const refused = await zoetrope(["worker", "--queue", "q"], { DATABASE_URL: "postgres://someone:secret@127.0.0.1:1/zoetrope" });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      "zoetrope: cannot reach PostgreSQL at postgres://someone:***@127.0.0.1:1/zoetrope: connection refused. Is the server running, and is DATABASE_URL's host and port right?",
    );

    const missing = await zoetrope(["worker", "--queue", "q"], { DATABASE_URL: process.env.DATABASE_URL!.replace(/\/[^/]*$/, "/no_such_db") });
    expect(missing.stderr.trim()).toMatch(/^zoetrope: PostgreSQL at postgres:.*\/no_such_db: database "no_such_db" does not exist\. Create it \(createdb\) or fix DATABASE_URL's database name\.$/);

    await enqueue("known", "lr=1");
    const unknown = await zoetrope(["worker", "--queue", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^zoetrope: no queue named "nope" \(queues here: .*known.*\); `zoetrope sweep … --queue nope` creates it$/);

    const badName = await zoetrope(["sweep", notebook, "--grid", "lr=1", "--queue", "a b"]);
    expect(badName.stderr).toContain('--queue must be letters, digits, - and _');
  });
});

describe("zoetrope worker", () => {
  it("runs every job as a run of the sweep, follows the sweep page's API, and stops on Ctrl-C", async () => {
    const id = await enqueue("work", "lr=1,2,3", "--set", "steps=12");
    const worker = start(["worker", "--queue", "work", "--concurrency", "2"]);
    const settled = await waitFor("the sweep's jobs to finish", allSettled(id), 90_000);
    expect(settled.map((j) => [j.state, j.attempts])).toEqual([
      ["completed", 1],
      ["completed", 1],
      ["completed", 1],
    ]);
    const runs = await sweepRuns(id);
    expect(runs.map((r) => [r.sweep, r.status, r.hparams.lr, r.hparams.steps])).toEqual([
      [{ id, job: 0, attempt: 1 }, "finished", 1, 12],
      [{ id, job: 1, attempt: 1 }, "finished", 2, 12],
      [{ id, job: 2, attempt: 1 }, "finished", 3, 12],
    ]);
    expect(runs[0].device?.worker).toMatch(/^.+:\d+$/);
    expect(runs.every((r) => r.experimentId === runs[0].experimentId)).toBe(true);
    const loss = (await readSeries(runs[2].id)).get("loss")!;
    expect(Array.from(loss.steps)).toEqual([...Array(12).keys()]);
    expect(loss.values[11]).toBe(33);

    const res = await call(sweepRoute.GET, "GET", `/api/sweeps/${id}`, { id });
    const body = await bodyOf(res);
    expect(body.sweep).toMatchObject({ id, queue: "work", grid: "lr=1,2,3", args: { set: { steps: 12 }, backend: "cpu" } });
    expect(body.sweep.notebook).toBeUndefined();
    expect(body.jobs.map((j: SweepJobState) => j.state)).toEqual(["completed", "completed", "completed"]);
    expect(body.runs).toHaveLength(3);

    worker.child.kill("SIGINT");
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain("worker: taking no more jobs");
    expect(exit.stdout).toMatch(/\[job 1\] ✓ run job 1: lr=1 finished/);
  });

  it("cancels a running job at its next step and a queued one before it starts", async () => {
    const id = await enqueue("cancel", "lr=1,2", "--set", "steps=3000");
    const worker = start(["worker", "--queue", "cancel"]);
    const first = await waitFor("job 1's run to log", async () => {
      const [run] = await sweepRuns(id);
      return run && ((await readSeries(run.id)).get("loss")?.total ?? 0) > 5 && run;
    });
    const res = await call(cancelRoute.POST, "POST", `/api/sweeps/${id}/cancel`, { id }, { body: {} });
    expect(await bodyOf(res)).toEqual({ cancelled: 2 });
    const cancelledAt = Date.now();
    const settled = await waitFor("the cancelled jobs", allSettled(id));
    expect(settled.map((j) => j.state)).toEqual(["cancelled", "cancelled"]);
    await waitFor("the run to end", async () => (await sweepRuns(id))[0].status === "interrupted");
    expect(Date.now() - cancelledAt).toBeLessThan(10_000); // the worker's heartbeat (every 2 s) finds the claim gone
    const runs = await sweepRuns(id);
    expect(runs.map((r) => r.id)).toEqual([first.id]); // job 2 never started
    expect((await readSeries(first.id)).get("loss")!.total).toBeLessThan(3000);
    worker.child.kill("SIGINT");
    expect((await worker.exited).code).toBe(0);
  });

  it("fails a job whose notebook fails, with the cell's error, and does not retry it; a malformed job too", async () => {
    const broken = path.join(tempDb.root, "broken.ts");
    fs.writeFileSync(broken, ["// %% Config", "const c = config({ lr: 1 });", "// %% Boom", "log({ x: 1 }, 0);", 'throw new Error("no digits here");', ""].join("\n"));
    const r = await zoetrope(["sweep", broken, "--grid", "lr=1", "--queue", "broken", "--backend", "cpu"]);
    const id = /sweep (sw[0-9a-f]{16})/.exec(r.stdout)![1];
    const boss = await appBoss();
    const bogus = await boss.send("broken", { sweepId: 42 });
    const worker = start(["worker", "--queue", "broken"]);
    const [job] = await waitFor("the failing job", allSettled(id));
    expect(job).toMatchObject({ state: "failed", attempts: 1, error: "cell 2/2 «Boom» failed at broken.ts:5: Error: no digits here" });
    const malformed = await waitFor("the malformed job", async () => {
      const [j] = await boss.findJobs("broken", { id: bogus! });
      return j?.state === "failed" && j;
    });
    expect(malformed.output).toEqual({ message: expect.stringMatching(/^job .* is not a sweep job this worker can run: /) });
    expect((await sweepRuns(id)).map((run) => [run.status, run.error])).toEqual([["failed", "cell 2/2 «Boom», line 5: Error: no digits here"]]);
    worker.child.kill("SIGINT");
    expect((await worker.exited).code).toBe(0);
  });
});

describe("the sweep API", () => {
  it("answers 404 for an unknown sweep and 422 for a job outside the grid", async () => {
    expect((await call(sweepRoute.GET, "GET", "/api/sweeps/swnope", { id: "swnope" })).status).toBe(404);
    const id = await enqueue("api", "lr=1,2");
    const res = await call(cancelRoute.POST, "POST", `/api/sweeps/${id}/cancel`, { id }, { body: { jobs: [2] } });
    expect(res.status).toBe(422);
    expect((await bodyOf(res)).error.message).toBe("jobs: the sweep has jobs 0…1, not 2");
    const bad = await call(cancelRoute.POST, "POST", `/api/sweeps/${id}/cancel`, { id }, { body: { jobs: "all" } });
    expect(bad.status).toBe(422);
    const one = await call(cancelRoute.POST, "POST", `/api/sweeps/${id}/cancel`, { id }, { body: { jobs: [1] } });
    expect(await bodyOf(one)).toEqual({ cancelled: 1 });
    expect((await states(id)).map((j) => j.state)).toEqual(["created", "cancelled"]);
  });
});
