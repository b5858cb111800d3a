// The Plotly calls of the cell outputs, typed for what they pass: whole figures from cells (any trace type) and
// live traces of Float64Arrays. The bundle is the local plotly.js-dist-min, loaded once by loadPlotly.
import { loadPlotly } from "@/components/metrics/loadPlotly";
import { CHART_CONFIG } from "@/components/metrics/chart-style";

export interface PlotlyEventTarget extends HTMLElement {
  on(event: "plotly_relayout", handler: (e: Record<string, unknown>) => void): void;
  removeAllListeners?(event: string): void;
}

export interface PlotlyFacade {
  react(el: HTMLElement, data: readonly object[], layout?: object, config?: object): Promise<PlotlyEventTarget>;
  purge(el: HTMLElement): void;
}

export function plotly(): Promise<PlotlyFacade> {
  return loadPlotly() as unknown as Promise<PlotlyFacade>;
}

export const PLOT_CONFIG = CHART_CONFIG;

/** The new x range of a relayout event, "reset" on autorange, or null when x did not change. */
export function relayoutXRange(e: Record<string, unknown>): [number, number] | "reset" | null {
  if (e["xaxis.autorange"] === true) return "reset";
  const pair = Array.isArray(e["xaxis.range"]) ? (e["xaxis.range"] as unknown[]) : [e["xaxis.range[0]"], e["xaxis.range[1]"]];
  const [a, b] = pair.map(Number);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return [Math.min(a, b), Math.max(a, b)];
}

/** How the live chart draws its lines: WebGL (scattergl) or SVG (scatter). */
export type LiveRenderer = "webgl" | "svg";

let renderer: LiveRenderer | undefined;

/**
 * scattergl where WebGL runs on a GPU; SVG where it is emulated on the CPU (SwiftShader, llvmpipe: no GPU, a
 * remote desktop, headless), where a scattergl redraw blocks the main thread for 150–300 ms while the same
 * thinned points as SVG take ~20 ms. The live traces are thinned to a few thousand points, which SVG draws well.
 */
export function liveRenderer(): LiveRenderer {
  renderer ??= detectRenderer();
  return renderer;
}

function detectRenderer(): LiveRenderer {
  try {
    const gl = document.createElement("canvas").getContext("webgl");
    if (!gl) return "svg";
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext(); // give the context back at once
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name) ? "svg" : "webgl";
  } catch {
    return "svg";
  }
}
