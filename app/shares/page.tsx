import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { RevokeButton } from "@/components/share/RevokeButton";
import ui from "@/components/ui.module.css";
import { listShares, shareTargets, type ShareTarget, type ShareView } from "@/lib/tracker/share";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Share links" };

/** Every read-only link ever made, newest first, with what it names and whether it still opens. */
export default async function SharesPage() {
  const shares = await listShares();
  const targets = await shareTargets(shares);
  return (
    <>
      <div className={ui.header}>
        <h1>Share links</h1>
        <span className="muted">A link is shown once, when it is made; here they can be checked and revoked.</span>
      </div>
      {shares.length === 0 ? (
        <p className={ui.empty}>No links yet. Use “Share…” on an experiment or a run.</p>
      ) : (
        <div className={ui.tableWrap}>
          <table>
            <thead>
              <tr>
                <th>Type</th>
                <th>What</th>
                <th>Created</th>
                <th>Expires</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shares.map((s) => (
                <tr key={s.id} data-share-id={s.id}>
                  <td>{s.type}</td>
                  <td className={ui.wrap}>
                    <Targets share={s} targets={targets.get(s.id) ?? []} />
                  </td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>{s.expiresAt ? formatDateTime(s.expiresAt) : <span className="muted">never</span>}</td>
                  <td>
                    <span className={`status ${s.state === "active" ? "status-finished" : "status-interrupted"}`}>{s.state}</span>
                  </td>
                  <td>{s.state === "active" ? <RevokeButton id={s.id} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Targets({ share, targets }: { share: ShareView; targets: ShareTarget[] }) {
  return targets.map((t, i) => (
    <span key={t.id}>
      {i > 0 ? ", " : null}
      {t.name === null ? (
        <span className="muted">deleted {share.type === "experiment" ? "experiment" : "run"}</span>
      ) : (
        <Link href={share.type === "experiment" ? `/experiments/${t.id}` : `/runs/${t.id}`}>{t.name}</Link>
      )}
    </span>
  ));
}
