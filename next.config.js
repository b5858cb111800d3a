/**
 * Every page is cross-origin isolated (COOP + COEP): the kernel worker inherits it, which gives it SharedArrayBuffer
 * and so the threaded build of the TF.js wasm backend. Everything the app loads comes from its own origin (its
 * bundles, /kernel/worker.js, /wasm/*.wasm, /api/samples/...), which require-corp allows without further headers.
 */
const isolation = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
];

const MB = 1024 * 1024;

/** A size limit in MB from the environment, as lib/tracker/limits.ts reads it. */
function envMB(name, fallback) {
  const mb = Number(process.env[name]);
  return (Number.isFinite(mb) && mb > 0 ? mb : fallback) * MB;
}

/**
 * With a proxy (proxy.ts), Next copies each request body for it and cuts the copy the route gets at this size,
 * silently (10 MB unless set). So it must pass the largest body a route takes — an upload with its form fields
 * (ZOETROPE_MAX_UPLOAD_MB), an import (ZOETROPE_MAX_IMPORT_MB), a metric batch (8 MB) — by more than a network read
 * (the chunk that crosses the cut is dropped whole): the route then sees a body over its limit and answers 413.
 * Read when the server starts (scripts/server.js), so the variables apply without a new build.
 * test/api/hostile-input.test.ts checks these figures against lib/tracker/limits.ts.
 */
const largestBody = Math.max(envMB("ZOETROPE_MAX_UPLOAD_MB", 20) + 64 * 1024, envMB("ZOETROPE_MAX_IMPORT_MB", 200), 8 * MB);
const bodySlack = MB;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The tracker's Prisma client is ESM TypeScript generated into lib/tracker/generated.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  experimental: {
    // Server actions take a person's small forms; proxy.ts checks a form posted to a page against the same figure
    // (PAGE_FORM_BYTES). Uploads go to the API's routes, which check their own limits.
    serverActions: { bodySizeLimit: "2mb" },
    proxyClientMaxBodySize: largestBody + bodySlack,
  },
  async headers() {
    return [{ source: "/:path*", headers: isolation }];
  },
};

export default nextConfig;
