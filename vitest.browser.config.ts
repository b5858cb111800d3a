import { defineConfig } from "vitest/config";
import path from "node:path";

// Tests against a real `next start` on a temp SQLite file: test/browser drives it with a headless Chromium,
// test/server with plain HTTP requests.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(".") } },
  test: {
    include: ["test/browser/**/*.test.ts", "test/server/**/*.test.ts"],
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: false,
  },
});
