// Loads each example notebook in experiments/ into the tracker unless it is there already (matched by the slug
// of its title, which survives renames). Run by `npm start`; safe to run any number of times.
import fs from "node:fs";
import path from "node:path";
import { createExperiment, getExperiment } from "../lib/tracker/experiments";
import { slugify } from "../lib/tracker/slug";
import { notebookTitle } from "../lib/runner/notebook";

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
    const title = notebookTitle(notebook, path.basename(file, ".ts"));
    if (await exists(slugify(title))) continue;
    await createExperiment({ title, notebook });
    loaded++;
  }
  console.log(`zoetrope: ${loaded} example notebook(s) loaded, ${files.length - loaded} already present`);
}

await main();
