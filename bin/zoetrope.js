#!/usr/bin/env node
// The `zoetrope` command (see lib/runner/cli/main.ts). The notebook runtime is TypeScript: tsx compiles it as it loads.
import { register } from "tsx/esm/api";

register();
const { cli } = await import("../lib/runner/cli/main.ts");
await cli(process.argv.slice(2));
