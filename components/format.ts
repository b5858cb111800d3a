// Formatting shared by the server-rendered pages and the client tables, so both print the same text.

const dateTime = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  // A fixed zone keeps server and client output identical (no hydration mismatch); labelled below.
  timeZone: "UTC",
});

/** "25 Nov 2026, 10:39 UTC". */
export function formatDateTime(value: Date | string | number): string {
  return `${dateTime.format(new Date(value))} UTC`;
}

/** "2 h 05 min", "3 min 12 s", "850 ms"; "—" when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** A metric or hyperparameter value as a short, exact-enough string. null means a non-finite (diverged) value. */
export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const abs = Math.abs(value);
  // Exponent form without padding zeros: 2e-4, 1.5e-5.
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3).replace(/\.?0+e/, "e");
  return String(Number(value.toPrecision(4)));
}

/** Any JSON-ish value as one line of text (hyperparameters may be strings, booleans, arrays). */
export function formatValue(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
