import { formatValue } from "../format";
import ui from "../ui.module.css";
import { flattenHparams } from "./runRow";

/** The run's resolved config, one row per (dotted) key, in the order it was recorded. */
export function HparamsTable({ hparams }: { hparams: Record<string, unknown> }) {
  const rows = Object.entries(flattenHparams(hparams));
  if (rows.length === 0) return <p className={ui.empty}>None recorded.</p>;
  return (
    <div className={ui.tableWrap}>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row" className={ui.keyCell}>
                {k}
              </th>
              <td className={ui.wrap}>{formatValue(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
