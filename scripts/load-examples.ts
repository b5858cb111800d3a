// Loads each example notebook in experiments/ into the tracker unless it is there already (matched by the slug
// of its title, which survives renames). Run by `npm start`; safe to run any number of times.
import fs from "node:fs";
import path from "node:path";
import { createExperiment, getExperiment } from "../lib/tracker/experiments";
import { slugify } from "../lib/tracker/slug";

/** The notebook's first markdown heading (`// # Title`), else its file name. */
function exampleTitle(file: string, source: string): string {
  const heading = source.match(/^\/\/ #\s+(.+)$/m);
  return heading ? heading[1].trim() : path.basename(file, ".ts");
}

async function exists(slug: string): Promise<boolean> {
  try {
    await getExperiment(slug);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const dir = path.resolve("experiments");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  let loaded = 0;
  for (const file of files) {
    const notebook = fs.readFileSync(path.join(dir, file), "utf8");
    const title = exampleTitle(file, notebook);
    if (await exists(slugify(title))) continue;
    await createExperiment({ title, notebook });
    loaded++;
  }
  console.log(`zoetrope: ${loaded} example notebook(s) loaded, ${files.length - loaded} already present`);
}

await main();
