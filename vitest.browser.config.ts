import { defineConfig } from "vitest/config";
import path from "node:path";

// Tests that drive a real headless Chromium against a real `next start` on a temp SQLite file.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(".") } },
  test: {
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: false,
  },
});
