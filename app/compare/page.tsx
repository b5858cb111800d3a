import type { Metadata } from "next";
import Link from "next/link";
import { CompareView } from "@/components/compare/CompareView";
import { loadCompareData } from "@/components/compare/load";
import { readCompareState } from "@/components/compare/state";
import { toSearchParams } from "@/components/runs/tableState";
import { ShareButton } from "@/components/share/ShareButton";
import ui from "@/components/ui.module.css";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Compare runs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** /compare?runs=a,b,c&… — the runs side by side; the rest of the URL is the view (see components/compare/state.ts). */
export default async function ComparePage({ searchParams }: Props) {
  const state = readCompareState(toSearchParams(await searchParams));
  const data = await loadCompareData(state.runs);
  return (
    <>
      <div className={ui.crumbs}>
        <Link href="/runs">Runs</Link> /
      </div>
      <div className={ui.header}>
        <h1>Compare {data.runs.length} runs</h1>
        {data.runs.length >= 2 ? <ShareButton type="compare" ids={data.runs.map((r) => r.id)} /> : null}
      </div>
      {state.runs.length === 0 ? (
        <p className={ui.empty}>
          Pick runs to compare in the <Link href="/runs">runs table</Link>.
        </p>
      ) : (
        // Keyed by the run list: following a link to another comparison starts from that link's view.
        <CompareView key={state.runs.join(",")} data={data} initial={state} />
      )}
    </>
  );
}
