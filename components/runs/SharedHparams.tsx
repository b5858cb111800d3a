// The hyperparameters every listed run shares, said once above a runs table instead of as identical columns.
import { formatValue } from "@/components/format";
import ui from "@/components/ui.module.css";
import type { CellValue } from "./runRow";

export function SharedHparams({ shared }: { shared: [string, CellValue][] }) {
  if (shared.length === 0) return null;
  return (
    <p className={ui.shared}>
      <span className="muted">Same in every run: </span>
      {shared.map(([k, v]) => (
        <span key={k} className={ui.chip}>
          {k} = {formatValue(v)}
        </span>
      ))}
    </p>
  );
}
