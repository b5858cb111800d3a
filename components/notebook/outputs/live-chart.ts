// The live chart's drawing: a stack of uPlot canvases, one per panel of live-figure.ts, sharing the cursor and the
// step range. uPlot is made for streaming: feeding a chart new columns redraws one canvas in a few milliseconds,
// where a Plotly.react of the same thinned points took 40–130 ms of the main thread on a CPU without GPU drawing
// (and its first figure ~140 ms), which a person typing in the next cell feels as the editor freezing. Plotly
// stays for the run and compare pages, where a chart is drawn once and explored.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatNumber } from "@/components/format";
import { CHART_AXIS, CHART_FRAME } from "@/components/metrics/chart-style";
import { samePanels, type LivePanel } from "./live-figure";

const PANEL_HEIGHT = 150;
// The look of the Plotly charts (chart-style.ts): their font, text colour and grid.
const FONT = `${CHART_FRAME.font.size}px ${CHART_FRAME.font.family}`;
const TEXT = CHART_FRAME.font.color;
const GRID = { stroke: CHART_AXIS.gridcolor, width: 1 };
const TICKS = { stroke: "#d0d5dd", width: 1, size: 4 };

let charts = 0;

export class LiveChart {
  private plots: uPlot[] = [];
  private panels: LivePanel[] = [];
  private readonly syncKey = `live-${++charts}`;

  /** `onZoom` hears the step window a person chose (null: all steps, after a double-click). */
  constructor(
    private readonly host: HTMLElement,
    private readonly onZoom: (zoom: [number, number] | null) => void,
  ) {}

  /** Shows these panels: new data for the same grouping, new charts for a new one. */
  draw(panels: LivePanel[], zoom: readonly [number, number] | null): void {
    if (!samePanels(panels, this.panels)) this.rebuild(panels);
    else this.plots.forEach((plot, i) => plot.setData(panels[i].data, zoom === null));
    this.panels = panels;
    if (zoom) for (const plot of this.plots) plot.setScale("x", { min: zoom[0], max: zoom[1] });
  }

  resize(width: number): void {
    for (const plot of this.plots) plot.setSize({ width, height: PANEL_HEIGHT });
  }

  destroy(): void {
    for (const plot of this.plots) plot.destroy();
    this.plots = [];
    this.panels = [];
  }

  private rebuild(panels: LivePanel[]): void {
    this.destroy();
    const width = this.host.clientWidth || 600;
    this.plots = panels.map((panel, i) => {
      const last = i === panels.length - 1;
      const opts: uPlot.Options = {
        width,
        height: PANEL_HEIGHT,
        scales: { x: { time: false } },
        // A drag selects steps and a double-click asks for all of them; the zoom itself comes back through draw(), so
        // every panel takes it and the points are thinned for it.
        cursor: { sync: { key: this.syncKey }, drag: { x: true, y: false, setScale: false } },
        legend: { live: true },
        axes: [
          {
            font: FONT,
            grid: GRID,
            ticks: TICKS,
            stroke: TEXT,
            // Only the bottom panel labels the steps; the others keep the grid lines.
            ...(last ? { label: "step", labelFont: FONT, labelSize: 14, labelGap: 0, size: 30 } : { values: (_u: uPlot, splits: number[]) => splits.map(() => ""), size: 8 }),
          },
          { font: FONT, grid: GRID, ticks: TICKS, stroke: TEXT, size: 64, values: (_u, splits) => splits.map((v) => formatNumber(v)) },
        ],
        series: [
          { label: "step", value: (_u, v) => (v == null ? "—" : v.toLocaleString("en")) },
          ...panel.keys.map(
            (key, k): uPlot.Series => ({
              label: key,
              stroke: panel.colors[k],
              width: 1.5,
              spanGaps: false,
              points: { size: 5 },
              value: (_u, v) => (v == null ? "—" : formatNumber(v)),
            }),
          ),
        ],
        hooks: { setSelect: [(u) => this.selected(u)] },
      };
      const plot = new uPlot(opts, panel.data, this.host);
      plot.over.addEventListener("dblclick", () => this.onZoom(null));
      return plot;
    });
  }

  /** A person dragged across a panel: the steps under the selection become the zoom. */
  private selected(u: uPlot): void {
    const { left, width } = u.select;
    if (width < 2) return;
    const min = u.posToVal(left, "x");
    const max = u.posToVal(left + width, "x");
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.onZoom([min, max]);
  }
}
