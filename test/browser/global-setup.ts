// Builds the app once for the whole browser run (in CI always afresh), before the test files start: each file's
// own ensureBuild() then finds the build current instead of building again.
import { ensureBuild } from "./helpers";

export default function setup(): void {
  ensureBuild();
  process.env.ZOETROPE_BUILT_THIS_RUN = "1"; // inherited by the test processes, forked after this
}
