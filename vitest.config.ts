import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit and integration tests in Node. Tests against a built server (test/browser, test/server) have their own config.
// Two projects: every test on the embedded SQLite tracker, and the tracker's API and queue tests again on a real
// PostgreSQL server (test/helpers/postgres-setup.ts starts one).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(".") } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: { name: "sqlite", include: ["test/**/*.test.ts"], exclude: ["test/browser/**", "test/server/**", "test/postgres/**", "node_modules/**"] },
      },
      {
        extends: true,
        test: { name: "postgres", include: ["test/api/**/*.test.ts", "test/tracker/metrics-store.test.ts", "test/postgres/**/*.test.ts"], globalSetup: ["test/helpers/postgres-setup.ts"] },
      },
    ],
  },
});
