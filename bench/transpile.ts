// `npm run bench:transpile`: ms to compile each cell of the example notebooks (TypeScript → scoped JS).
// Target: < 5 ms for a typical cell. Baseline in the same run: sucrase alone, the part no scope analysis adds.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { transform } from "sucrase";
import { parseNotebook } from "../lib/runner/notebook";
import { compileCell } from "../lib/runner/transpile";

function median(fn: () => void, runs = 200): number {
  for (let i = 0; i < 20; i++) fn(); // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

const dir = path.resolve("experiments");
console.log("notebook            cell  chars  compileCell ms  sucrase-only ms  ratio");
for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
  const cells = parseNotebook(readFileSync(path.join(dir, file), "utf8")).cells.filter((c) => c.kind === "code");
  cells.forEach((cell, i) => {
    const full = median(() => compileCell(cell.source, { id: `c${i}` }));
    const base = median(() => transform(cell.source, { transforms: ["typescript"] }));
    const row = [file.padEnd(18), String(i).padStart(5), String(cell.source.length).padStart(6)];
    console.log(`${row.join(" ")}  ${full.toFixed(3).padStart(14)}  ${base.toFixed(3).padStart(15)}  ${(full / base).toFixed(1).padStart(5)}×`);
  });
}
