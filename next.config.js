/**
 * Every page is cross-origin isolated (COOP + COEP): the kernel worker inherits it, which gives it SharedArrayBuffer
 * and so the threaded build of the TF.js wasm backend. Everything the app loads comes from its own origin (its
 * bundles, /kernel/worker.js, /wasm/*.wasm, /api/samples/...), which require-corp allows without further headers.
 */
const isolation = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The tracker's Prisma client is ESM TypeScript generated into lib/tracker/generated.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  experimental: {
    // Multipart sample and checkpoint uploads are size-checked by the route itself.
    serverActions: { bodySizeLimit: "2mb" },
  },
  async headers() {
    return [{ source: "/:path*", headers: isolation }];
  },
};

export default nextConfig;
