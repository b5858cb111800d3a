import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "data/", "lib/tracker/generated/", "next-env.d.ts", "public/", "test-results/", "tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    // Only lib/tracker talks to the database.
    files: ["app/**", "components/**", "lib/gan/**", "lib/runner/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["**/tracker/generated*", "@prisma/*", "better-sqlite3"] }],
    },
  },
);
