import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { ShutDownButton } from "@/components/kernels/ShutDownButton";
import ui from "@/components/ui.module.css";
import { serverKernelAvailability } from "@/lib/runner/server/availability";
import { kernels } from "@/lib/runner/server/kernels";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Kernels" };

const mb = (bytes: number | undefined) => (bytes === undefined ? "…" : `${Math.round(bytes / 2 ** 20)} MB`);

/** The server's running notebook kernels, with a way to shut each down. */
export default function KernelsPage() {
  const availability = serverKernelAvailability();
  const running = kernels().list();
  return (
    <>
      <div className={ui.crumbs}>
        <Link href="/">Experiments</Link> /
      </div>
      <div className={ui.header}>
        <h1>Kernels on this server</h1>
      </div>
      {!availability.available ? (
        <p className={ui.empty}>This server runs no kernels: {availability.reason}.</p>
      ) : running.length === 0 ? (
        <p className={ui.empty}>No kernel is running. Choose “Run on: server” in a notebook to start one.</p>
      ) : (
        <div className={ui.tableWrap}>
          <table aria-label="Running kernels">
            <thead>
              <tr>
                <th>Notebook</th>
                <th>Status</th>
                <th>Backend</th>
                <th>Started</th>
                <th>Last active</th>
                <th className="num">Memory</th>
                <th className="num">Pages</th>
                <th className={ui.actions} aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {running.map((k) => (
                <tr key={k.id} data-kernel-id={k.id}>
                  <td>
                    <Link href={`/experiments/${k.experiment.slug}`}>{k.experiment.title}</Link>
                  </td>
                  <td>{k.status}</td>
                  <td>{k.backend ?? "…"}</td>
                  <td>{formatDateTime(k.startedAt)}</td>
                  <td>{k.status === "busy" ? "now" : formatDateTime(k.lastActivityAt)}</td>
                  <td className="num">{mb(k.rss)}</td>
                  <td className="num">{k.attached}</td>
                  <td className={ui.actions}>
                    <ShutDownButton kernelId={k.id} title={k.experiment.title} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
