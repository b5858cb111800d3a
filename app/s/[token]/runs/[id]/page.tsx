import type { Metadata } from "next";
import { SharedRun } from "@/components/share/SharedRun";
import { sharedRunOr404 } from "@/components/share/resolve";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string; id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token, id } = await params;
  return { title: (await sharedRunOr404(token, id)).name };
}

/** One run of an experiment or comparison link; a run the link does not reach is 404. */
export default async function SharedRunPage({ params }: Props) {
  const { token, id } = await params;
  const run = await sharedRunOr404(token, id);
  return <SharedRun token={token} run={run} back={{ href: `/s/${token}`, label: "Back to the shared view" }} />;
}
