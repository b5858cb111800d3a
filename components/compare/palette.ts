// Run colours and the text rules for what Plotly draws.

// Tableau 10: distinct hues that stay apart for the common forms of colour blindness; runs past ten reuse them.
const COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

export function runColor(index: number): string {
  return COLORS[index % COLORS.length];
}

/**
 * Text for Plotly labels (trace names, hover text). Plotly reads a small HTML subset in labels (<b>, <a href>, <br>…)
 * and decodes entities; escaping the markup characters makes a run name like `<img src=x onerror=…>` show as typed.
 */
export function plotlyText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
