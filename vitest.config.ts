import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit and integration tests in Node. Tests against a built server (test/browser, test/server) have their own config.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(".") } },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "test/server/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
