import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit and integration tests in Node. Browser tests (real Chromium) live under test/browser with their own config.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(".") } },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
