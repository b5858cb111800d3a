import type { Metadata } from "next";
import { CreateExperimentForm } from "@/components/experiments/CreateExperimentForm";
import { ExperimentRow } from "@/components/experiments/ExperimentRow";
import { formatDateTime } from "@/components/format";
import ui from "@/components/ui.module.css";
import { listExperiments } from "@/lib/tracker/experiments";
import { createExperimentAction, deleteExperimentAction, renameExperimentAction } from "./experiments/actions";

// Always read the database at request time; nothing here is static.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Experiments" };

export default async function ExperimentsPage() {
  const experiments = await listExperiments();
  return (
    <>
      <div className={ui.header}>
        <h1>Experiments</h1>
        <CreateExperimentForm action={createExperimentAction} />
      </div>
      {experiments.length === 0 ? (
        <p className={ui.empty}>No experiments yet. Create one to start tracking runs.</p>
      ) : (
        <div className={ui.tableWrap}>
          <table>
            <thead>
              <tr>
                <th>Title</th>
                <th className="num">Runs</th>
                <th>Updated</th>
                <th className={ui.actions} aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {experiments.map((e) => (
                <ExperimentRow
                  key={e.id}
                  experiment={{ id: e.id, slug: e.slug, title: e.title, runCount: e.runCount, updated: formatDateTime(e.updatedAt) }}
                  rename={renameExperimentAction}
                  remove={deleteExperimentAction}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
