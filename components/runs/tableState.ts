// The runs table's view as URL search parameters, so a filtered, sorted view is a link:
//   ?q=<filter>&sort=-m:loss/d&hide=h:batch&hide=duration
// `sort` is a column id, "-" first for descending; `hide` repeats once per hidden column. Other parameters are kept.
import type { ColumnId } from "./runRow";

export interface TableSort {
  column: ColumnId;
  dir: 1 | -1;
}

export interface TableState {
  /** the filter, in the run query language (lib/query); "" shows every run */
  q: string;
  sort: TableSort;
  /** columns the person switched off */
  hidden: ColumnId[];
}

/** Newest first: what one opens a runs table to see. */
export const DEFAULT_SORT: TableSort = { column: "startedAt", dir: -1 };

const FIXED = new Set<string>(["name", "status", "startedAt", "duration", "experiment"]);

export function isColumnId(s: string): s is ColumnId {
  return FIXED.has(s) || ((s.startsWith("h:") || s.startsWith("m:")) && s.length > 2);
}

export function readTableState(params: URLSearchParams): TableState {
  const rawSort = params.get("sort") ?? "";
  const desc = rawSort.startsWith("-");
  const column = desc ? rawSort.slice(1) : rawSort;
  return {
    q: params.get("q") ?? "",
    sort: isColumnId(column) ? { column, dir: desc ? -1 : 1 } : DEFAULT_SORT,
    hidden: [...new Set(params.getAll("hide").filter(isColumnId))],
  };
}

/** A copy of `params` with the table's parameters replaced; defaults are left out to keep links short. */
export function writeTableState(params: URLSearchParams, state: TableState): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const k of ["q", "sort", "hide"]) out.delete(k);
  if (state.q.trim() !== "") out.set("q", state.q);
  const { column, dir } = state.sort;
  if (column !== DEFAULT_SORT.column || dir !== DEFAULT_SORT.dir) out.set("sort", `${dir === -1 ? "-" : ""}${column}`);
  for (const c of state.hidden) out.append("hide", c);
  return out;
}

/** The search parameters of a server page's `searchParams` object. */
export function toSearchParams(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(record)) {
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
  }
  return out;
}
