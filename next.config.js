/** @type {import('next').NextConfig} */
const nextConfig = {
  // The tracker's Prisma client is ESM TypeScript generated into lib/tracker/generated.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  experimental: {
    // Multipart sample and checkpoint uploads are size-checked by the route itself.
    serverActions: { bodySizeLimit: "2mb" },
  },
};

export default nextConfig;
