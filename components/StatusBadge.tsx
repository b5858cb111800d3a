const known = new Set(["running", "finished", "failed", "interrupted"]);

/** A run's effective status as a coloured pill (colours in app/globals.css); the text stays readable without colour. */
export function StatusBadge({ status }: { status: string }) {
  const tone = known.has(status) ? `status-${status}` : "";
  return <span className={`status ${tone}`}>{status}</span>;
}
