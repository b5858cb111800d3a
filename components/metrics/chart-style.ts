// One look for every chart of metrics (run page, comparison, shared pages; a cell's live chart, drawn with uPlot,
// takes its font and grid from here): the same font, transparent paper, faint grid, and a mode bar without the
// tools a line chart has no use for.

export const CHART_FRAME = {
  margin: { l: 56, r: 16, t: 8, b: 40 },
  hovermode: "closest",
  paper_bgcolor: "rgba(0,0,0,0)",
  plot_bgcolor: "#fff",
  font: { family: "system-ui, sans-serif", size: 11, color: "#475467" },
} as const;

/** An axis's grid and number format; charts add titles, ranges and domains. */
export const CHART_AXIS = { gridcolor: "#eef0f3", zeroline: false, automargin: true } as const;

/** The x axis of a chart against training steps. */
export const STEP_AXIS = { ...CHART_AXIS, title: { text: "step", standoff: 6 } } as const;

/** A y axis whose very small or large values read as 2e-4, not 0.0002. */
export const VALUE_AXIS = { ...CHART_AXIS, exponentformat: "e" } as const;

export const CHART_CONFIG = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
};
