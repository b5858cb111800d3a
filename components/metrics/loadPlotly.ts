// Plotly is ~3.5 MB: it is fetched once, in the browser, the first time a chart scrolls into view.
import type Plotly from "plotly.js-dist-min";

type PlotlyApi = typeof Plotly;
let pending: Promise<PlotlyApi> | null = null;

export function loadPlotly(): Promise<PlotlyApi> {
  // The dist bundle is UMD; depending on interop the API is the module or its default export.
  pending ??= import("plotly.js-dist-min").then((m) => ((m as { default?: PlotlyApi }).default ?? m) as PlotlyApi);
  return pending;
}
