// The Plotly calls of a figure a cell shows (any trace type), typed for what they pass. The bundle is the local
// plotly.js-dist-min, loaded once by loadPlotly. (The live chart of a run's metrics is uPlot: live-chart.ts.)
import { loadPlotly } from "@/components/metrics/loadPlotly";
import { CHART_CONFIG } from "@/components/metrics/chart-style";

export interface PlotlyFacade {
  react(el: HTMLElement, data: readonly object[], layout?: object, config?: object): Promise<HTMLElement>;
  purge(el: HTMLElement): void;
}

export function plotly(): Promise<PlotlyFacade> {
  return loadPlotly() as unknown as Promise<PlotlyFacade>;
}

export const PLOT_CONFIG = CHART_CONFIG;
