// Share links in a real browser: a run link made through the UI opens in a fresh context (no cookies) and shows the
// run and nothing else; typed markup stays text; a revoked link is a plain 404; login mode keeps everything else
// behind the password while shared links stay open, and the notebook's kernel still records through the API.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lossSeries, movingSquareGif, postJson, postSample } from "./fixtures";
import { ensureBuild, launchBrowser, resultsPath, startServer, type TestServer } from "./helpers";

const PROBE = "<img src=x onerror=alert(1)>";
const PASSWORD = "correct horse battery";

let browser: Browser;
const timings: string[] = [];

function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  return f().finally(() => timings.push(`${label}: ${Date.now() - t0} ms`));
}

beforeAll(async () => {
  await timed("build", async () => ensureBuild());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  console.log(`share timings:\n  ${timings.join("\n  ")}`);
});

/** Page errors, failed requests, console errors and every dialog (none may open). */
function watch(page: Page) {
  const errors: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  return { errors, dialogs, requests };
}

/** Fresh context: no cookies, nothing cached. */
async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

const NOTEBOOK = `// %% config
// ${PROBE}
const title = "${PROBE}";
const cfg = config({ model: "tgan", note: "${PROBE}" });
`;

async function arrange(base: string, headers: Record<string, string> = {}) {
  const post = <T>(path: string, body: unknown, method = "POST") =>
    headers.cookie ? authed<T>(base, path, body, method, headers.cookie) : postJson<T>(base, path, body, method);
  const experiment = await post<{ id: string }>("/api/experiments", { title: `Probe ${PROBE}` });
  await post(`/api/experiments/${experiment.id}`, { notebook: NOTEBOOK }, "PATCH");
  const run = await post<{ id: string }>("/api/runs", {
    experimentId: experiment.id,
    name: `run ${PROBE}`,
    code: NOTEBOOK,
    hparams: { model: "tgan", note: PROBE, optim: { lr: 2e-4 } },
    seed: 7,
  });
  const other = await post<{ id: string }>("/api/runs", { experimentId: experiment.id, name: "other-run", code: "// other", hparams: { lr: 1 } });
  await post(`/api/runs/${run.id}/metrics`, { batch: 0, series: lossSeries(200, 120) });
  await post(`/api/runs/${other.id}/metrics`, { batch: 0, series: lossSeries(50, -1) });
  return { experiment, run, other };
}

async function authed<T>(base: string, path: string, body: unknown, method: string, cookie: string): Promise<T> {
  const res = await fetch(base + path, { method, headers: { "content-type": "application/json", cookie }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe("without a password", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await timed("server start", () => startServer());
  });
  afterAll(() => server?.stop());

  it("makes a run link in the UI; a fresh browser sees that run (chart, sample) and nothing else; revoked is 404", async () => {
    const base = server.url;
    const { run, other, experiment } = await arrange(base);
    const fake = await postSample(base, run.id, "fake", 1990, movingSquareGif(3));
    const otherSample = await postSample(base, other.id, "fake", 10, movingSquareGif(1));

    // 1. The owner makes the link on the run page.
    const owner = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await owner.goto(`${base}/runs/${run.id}`);
    await owner.getByRole("button", { name: "Share…" }).click();
    await owner.getByRole("button", { name: "Create link" }).click();
    const input = owner.getByLabel("Share link");
    await input.waitFor();
    const link = await input.inputValue();
    expect(link).toMatch(new RegExp(`^${base}/s/[A-Za-z0-9_-]{43}$`));
    await owner.screenshot({ path: resultsPath("share-button.png") });
    const token = link.split("/s/")[1];

    // 2. A fresh context opens it: the run's name as text, its chart drawn, its sample loaded through the link.
    const { context, page } = await freshPage();
    const seen = watch(page);
    const t0 = Date.now();
    const res = await page.goto(link);
    expect(res?.status()).toBe(200);
    await page.locator('[data-metric-key="loss/d"]').locator(".main-svg").first().waitFor({ timeout: 30_000 });
    timings.push(`shared run page to first chart: ${Date.now() - t0} ms`);
    const img = page.locator('[data-sample-name="fake"] img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)), { timeout: 15_000 }).toBe(64);
    expect(await img.getAttribute("src")).toBe(`/s/${token}/api/samples/${fake.id}`);
    await expect(page.locator("h1").textContent()).resolves.toContain(`run ${PROBE}`);
    await expect(page.getByRole("table").textContent()).resolves.toContain(PROBE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.screenshot({ path: resultsPath("share-run.png"), fullPage: true });

    // Nothing else: no header, no links; only the link's own routes and the build's files were requested.
    expect(await page.locator("a").count()).toBe(0);
    expect(await page.textContent("body")).not.toContain("other-run");
    expect(await page.textContent("body")).not.toContain("Probe");
    const fetched = seen.requests.filter((p) => !p.startsWith("/_next/static/") && !p.startsWith(`/s/${token}`));
    expect(fetched.filter((p) => p !== "/icon.svg")).toEqual([]);
    expect(seen.requests.some((p) => /kernel|monaco|worker|wasm/.test(p))).toBe(false);

    // Other records through this link: 404; writes through it: 405.
    for (const path of [
      `/s/${token}/runs/${other.id}`,
      `/s/${token}/api/runs/${other.id}/metrics?keys=loss/d`,
      `/s/${token}/api/samples/${otherSample.id}`,
    ]) {
      expect((await page.goto(base + path))?.status(), path).toBe(404);
    }
    await page.goto(link);
    const writes = await page.evaluate(
      async ([t, id]) =>
        Promise.all(
          ["POST", "PUT", "PATCH", "DELETE"].map(async (method) => (await fetch(`/s/${t}/api/runs/${id}/metrics`, { method, body: method === "DELETE" ? undefined : "{}" })).status),
        ),
      [token, run.id],
    );
    expect(writes).toEqual([405, 405, 405, 405]);
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);

    // 3. The owner sees the link on the list and revokes it; the link is now a plain 404 page.
    await owner.goto(`${base}/shares`);
    const row = owner.locator("tr", { hasText: `run ${PROBE}` });
    await expect(row.textContent()).resolves.toContain("active");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain("revoked");
    await owner.screenshot({ path: resultsPath("share-list.png") });
    const gone = await page.goto(link);
    expect(gone?.status()).toBe(404);
    await expect(page.locator("h1").textContent()).resolves.toBe("Link not found");
    expect((await page.goto(`${base}/s/${token}/api/samples/${fake.id}`))?.status()).toBe(404);
    expect((await page.goto(`${base}/s/${"A".repeat(43)}`))?.status()).toBe(404);
    await page.screenshot({ path: resultsPath("share-revoked.png") });
    void experiment;
    await context.close();
    await owner.close();
  });

  it("shows an experiment link's notebook and titles as text, runs nothing, and opens only its runs", async () => {
    const base = server.url;
    const { experiment, run } = await arrange(base);
    const elsewhere = await arrange(base);
    const { url } = await postJson<{ url: string }>(base, "/api/share", { type: "experiment", ids: [experiment.id] });
    const { context, page } = await freshPage();
    const seen = watch(page);
    expect((await page.goto(base + url))?.status()).toBe(200);
    await expect(page.locator("h1").textContent()).resolves.toBe(`Probe ${PROBE}`);
    const code = page.locator("figure code");
    await expect(code.textContent()).resolves.toContain(`// ${PROBE}`);
    await expect(code.textContent()).resolves.toContain(`const title = "${PROBE}"`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator(".monaco-editor, [data-cell-id]").count()).toBe(0);
    await page.screenshot({ path: resultsPath("share-experiment.png"), fullPage: true });

    // Its runs open inside the link; a run of another experiment does not.
    const links = await page.locator("a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")));
    expect(links.length).toBe(2);
    for (const href of links) expect(href).toMatch(new RegExp(`^${url}/runs/`));
    await page.getByRole("link", { name: `run ${PROBE}` }).click();
    await page.waitForURL(`**${url}/runs/${run.id}`);
    await page.locator('[data-metric-key="loss/d"] .main-svg').first().waitFor({ timeout: 30_000 });
    expect((await page.goto(`${base}${url}/runs/${elsewhere.run.id}`))?.status()).toBe(404);
    expect(seen.requests.some((p) => /kernel|monaco|worker|wasm/.test(p))).toBe(false);
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("shows a compare link: charts overlaid, differing hyperparameters first, samples side by side", async () => {
    const base = server.url;
    const { run, other, experiment } = await arrange(base);
    await postSample(base, run.id, "fake", 5, movingSquareGif(2));
    await postSample(base, other.id, "fake", 5, movingSquareGif(7));
    const MARKUP = `<b>bold</b> <a href="https://evil.example/">link</a>`;
    const third = await postJson<{ id: string }>(base, "/api/runs", { experimentId: experiment.id, name: MARKUP, code: "" });
    await postJson(base, `/api/runs/${third.id}/metrics`, { batch: 0, series: lossSeries(20, -1) });
    const { url } = await postJson<{ url: string }>(base, "/api/share", { type: "compare", ids: [run.id, other.id, third.id] });
    const { context, page } = await freshPage();
    const seen = watch(page);
    await page.goto(base + url);
    const chart = page.locator('[data-metric-key="loss/d"]');
    await chart.locator(".main-svg").first().waitFor({ timeout: 30_000 });
    // Run names are text in the chart's legend too: Plotly's own markup (<b>, <a href>) is not read from them.
    const legend = chart.locator(".legend");
    await expect(legend.textContent()).resolves.toContain("other-run");
    await expect(legend.textContent()).resolves.toContain(`run ${PROBE}`);
    await expect(legend.textContent()).resolves.toContain(MARKUP);
    expect(await chart.locator("a, image, b").count()).toBe(0);
    await expect(page.locator("tr[data-differs]").first().textContent()).resolves.toMatch(/lr|model|note/);
    await expect.poll(() => page.locator('[data-sample-name="fake"] img').count()).toBe(2);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.screenshot({ path: resultsPath("share-compare.png"), fullPage: true });
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});

describe("with ZOETROPE_PASSWORD", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await timed("server start (login mode)", () => startServer({ ZOETROPE_PASSWORD: PASSWORD }));
  });
  afterAll(() => server?.stop());

  it("sends a visitor to the login form, keeps shared links open, and the kernel records with the cookie", async () => {
    const base = server.url;
    expect((await fetch(`${base}/api/experiments`)).status).toBe(401);
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(204);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const { run } = await arrange(base, { cookie });
    // A write from another origin is refused even with the cookie (a page elsewhere cannot ride the session).
    const forged = await fetch(`${base}/api/experiments`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: "http://127.0.0.1:1" },
      body: JSON.stringify({ title: "forged" }),
    });
    expect(forged.status).toBe(403);
    const { url } = await authed<{ url: string }>(base, "/api/share", { type: "run", ids: [run.id] }, "POST", cookie);

    // A stranger: the link works, everything else asks for the password.
    const { context, page } = await freshPage();
    const seen = watch(page);
    expect((await page.goto(base + url))?.status()).toBe(200);
    await page.locator('[data-metric-key="loss/d"] .main-svg').first().waitFor({ timeout: 30_000 });
    for (const path of ["/", `/runs/${run.id}`, "/shares"]) {
      await page.goto(base + path);
      expect(new URL(page.url()).pathname, path).toBe("/login");
      expect(new URL(page.url()).searchParams.get("next")).toBe(path);
    }

    // Logging in: a wrong password is refused, the right one lands where the person was headed.
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").filter({ hasText: "wrong password" }).waitFor({ timeout: 10_000 });
    await page.getByLabel("Password").fill(PASSWORD);
    const t0 = Date.now();
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${base}/shares`);
    timings.push(`login to landing page: ${Date.now() - t0} ms`);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "zoetrope_session")).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

    // The notebook's kernel (a Web Worker) posts its run to /api with the session cookie.
    const { id: expId } = await page.evaluate(async () => {
      const res = await fetch("/api/experiments", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "kernel in login mode" }),
      });
      return (await res.json()) as { id: string };
    });
    await authed(base, `/api/experiments/${expId}`, { notebook: "// %% a\nlog({ loss: 0.5 }, 1);\n" }, "PATCH", cookie);
    await page.goto(`${base}/experiments/${expId}`);
    await page.getByRole("status", { name: "Kernel status" }).filter({ hasText: "idle" }).waitFor({ timeout: 60_000 });
    const t1 = Date.now();
    await page.getByRole("button", { name: "Run all" }).click();
    await expect
      .poll(async () => {
        const res = await fetch(`${base}/api/runs?experimentId=${expId}`, { headers: { cookie } });
        const { runs } = (await res.json()) as { runs: { lastMetrics: Record<string, unknown> }[] };
        return runs.some((r) => "loss" in r.lastMetrics);
      }, { timeout: 60_000 })
      .toBe(true);
    timings.push(`kernel run recorded in login mode: ${Date.now() - t1} ms`);
    expect(seen.dialogs).toEqual([]);

    // Logging out ends the session.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${base}/login`);
    expect(await page.evaluate(async () => (await fetch("/api/experiments")).status)).toBe(401);
    expect((await context.cookies()).find((c) => c.name === "zoetrope_session")).toBeUndefined();
    await context.close();
  });
});
