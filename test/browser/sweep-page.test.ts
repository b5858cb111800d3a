// A team's sweep on PostgreSQL, as the README's "A team on PostgreSQL" tells it: the app on a PostgreSQL server, a
// sweep queued from the command line, a worker pulling its jobs; the sweep page follows them to the end, and its
// Cancel stops another sweep's running job.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTempPostgres, type TempPostgres } from "../../scripts/temp-postgres";
import { start, stepsNotebook, zoetrope, type Started } from "../postgres/cli";
import { launchBrowser, resultsPath, startServer, type TestServer } from "./helpers";

let postgres: TempPostgres;
let server: TestServer;
let browser: Browser;
let page: Page;
let worker: Started | undefined;
let env: Record<string, string>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-sweep-page-"));

beforeAll(async () => {
  postgres = await startTempPostgres();
  const url = await postgres.createDatabase("zoetrope");
  server = await startServer({ DATABASE_URL: url });
  env = { DATABASE_URL: url, DATA_DIR: path.join(dir, "worker-data") };
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  if (worker) {
    worker.child.kill("SIGINT");
    worker.child.kill("SIGINT"); // and hand back whatever it still runs
    await worker.exited;
  }
  await browser?.close();
  await server?.stop();
  postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function enqueue(queue: string, grid: string, ...extra: string[]): Promise<string> {
  const r = await zoetrope(["sweep", stepsNotebook(dir), "--grid", grid, "--queue", queue, "--url", server.url, "--backend", "cpu", ...extra], env);
  expect(r.code, r.stderr).toBe(0);
  return /sweep (sw[0-9a-f]{16})/.exec(r.stdout)![1];
}

const jobStates = () => page.locator("table[aria-label=Jobs] tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state")));

describe("the sweep page", () => {
  it("shows the queued jobs, then follows a worker's runs to the end without a reload", async () => {
    const id = await enqueue("team", "lr=1,2,3", "--set", "steps=40", "--set", "stepMs=100");
    await page.goto(`${server.url}/sweeps/${id}`);
    await page.getByRole("heading", { name: `Sweep ${id}` }).waitFor();
    expect(await jobStates()).toEqual(["created", "created", "created"]);
    await page.getByText("No job has started yet").waitFor();

    worker = start(["worker", "--queue", "team", "--url", server.url], env);
    await page.locator("table[aria-label=Jobs] tr[data-state=active]").first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: resultsPath("sweep-running.png"), fullPage: true });
    await expect.poll(jobStates, { timeout: 90_000, interval: 500 }).toEqual(["completed", "completed", "completed"]);
    const rows = page.locator("table[aria-label=Jobs] tbody tr");
    expect(await rows.nth(0).innerText()).toMatch(/^1\s+1\s+finished\s+1\s+\S+:\d+\s/);
    // The runs table lists the sweep's three runs, and the comparison opens from it.
    await page.getByText("3 runs").waitFor();
    await page.getByRole("link", { name: "job 2: lr=2" }).first().waitFor();
    await page.screenshot({ path: resultsPath("sweep-finished.png"), fullPage: true });
  });

  it("cancels a sweep whose job is running: the run stops at its next step", async () => {
    const id = await enqueue("team", "lr=7,8", "--set", "steps=3000", "--set", "stepMs=20");
    await page.goto(`${server.url}/sweeps/${id}`);
    await page.locator("table[aria-label=Jobs] tr[data-state=active]").first().waitFor({ timeout: 60_000 });
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Cancel the sweep" }).click();
    await expect.poll(jobStates, { timeout: 30_000, interval: 500 }).toEqual(["cancelled", "cancelled"]);
    // The one run (the second job never started) ends interrupted within a step or two.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator("table").last().locator("tbody tr").allInnerTexts();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toEqual([expect.stringMatching(/^\s*job 1: lr=7\s+interrupted\s/)]);
  });
});
