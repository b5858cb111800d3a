// The few Plotly calls the charts use. @types/plotly.js is not a dependency, and the dist bundle ships no types.
declare module "plotly.js-dist-min" {
  export type Datum = number | null;
  export interface Trace {
    type: "scattergl" | "scatter";
    mode?: "lines" | "markers" | "lines+markers";
    name?: string;
    x: Datum[];
    y: Datum[];
    connectgaps?: boolean;
    hoverinfo?: string;
    hovertemplate?: string;
    showlegend?: boolean;
    legendgroup?: string;
    opacity?: number;
    line?: { color?: string; width?: number };
    marker?: { color?: string; size?: number; symbol?: string; line?: { color?: string; width?: number } };
  }
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;
  /** Keys like "xaxis.range[0]", "xaxis.range", "xaxis.autorange". */
  export type RelayoutEvent = Record<string, unknown>;
  export interface PlotlyElement extends HTMLDivElement {
    on(event: "plotly_relayout", handler: (e: RelayoutEvent) => void): void;
    removeAllListeners?(event: string): void;
  }
  export function react(el: HTMLElement, data: Trace[], layout?: Layout, config?: Config): Promise<PlotlyElement>;
  export function purge(el: HTMLElement): void;
  const Plotly: { react: typeof react; purge: typeof purge };
  export default Plotly;
}
