import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { orNotFound } from "@/components/orNotFound";
import { SharedCompare } from "@/components/share/SharedCompare";
import { SharedExperiment } from "@/components/share/SharedExperiment";
import { SharedRun } from "@/components/share/SharedRun";
import { grantOr404 } from "@/components/share/resolve";
import { getExperiment } from "@/lib/tracker/experiments";
import { getRun, listRuns, type RunDetail } from "@/lib/tracker/runs";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const grant = await grantOr404((await params).token);
  return { title: `Shared ${grant.type}` };
}

/** /s/<token>: exactly what the link names, read-only. Unknown, revoked or expired: 404. */
export default async function SharedPage({ params }: Props) {
  const { token } = await params;
  const grant = await grantOr404(token);
  switch (grant.type) {
    case "experiment": {
      const experiment = await orNotFound(getExperiment(grant.ids[0]));
      // A slug is accepted by getExperiment; the link names an id, and only that experiment.
      if (experiment.id !== grant.ids[0]) notFound();
      return <SharedExperiment token={token} experiment={experiment} runs={await listRuns(experiment.id)} />;
    }
    case "run":
      return <SharedRun token={token} run={await orNotFound(getRun(grant.ids[0]))} />;
    case "compare": {
      // Runs deleted since the link was made drop out; a link with none left is gone.
      const runs = (await Promise.all(grant.ids.map((id) => getRun(id).catch(() => null)))).filter(
        (r): r is RunDetail => r !== null,
      );
      if (runs.length === 0) notFound();
      return <SharedCompare token={token} runs={runs} />;
    }
  }
}
