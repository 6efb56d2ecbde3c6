import uPlot from 'uplot';
import { fill, type TimelineLabels } from '../../core/trace/timeline-labels';
import type { NamedTimeline } from '../../protocol/diagram-messages';
import type { TimelineDom } from './timeline-view';

/**
 * Tokens per second over time, one series per request, on the timeline's axis. uPlot: a small
 * (about 50 KB), fast canvas chart made for time series, with no dependencies; it is bundled only
 * into the diagram view's script (dist/diagram.js), never the chat's. Its canvas cannot take CSS
 * variables, so the theme's colours are read from the document when drawing (and on theme change).
 */
export function drawChart(dom: TimelineDom, timelines: readonly NamedTimeline[], labels: TimelineLabels): uPlot | undefined {
  const width = dom.chartHost.clientWidth;
  if (width <= 0) return undefined;
  const colours = [cssVar('--vscode-charts-blue', 'CanvasText'), cssVar('--vscode-charts-orange', 'CanvasText')];
  const data = uPlot.join(timelines.map(({ timeline }) => [timeline.rate.map((p) => p.at), timeline.rate.map((p) => p.tokensPerSecond)] as uPlot.AlignedData));
  const options: uPlot.Options = {
    ...chartBase(dom, labels, width, 160, labels.tokensPerSecond),
    // uPlot lays out its plot area after construction (batched): align the lanes when it draws.
    hooks: { draw: [(u) => alignLanes(dom, u)] },
    series: [{}, ...timelines.map((t, i) => ({ label: t.name, stroke: colours[i % colours.length], width: 2, spanGaps: true, points: { show: false } }))],
  };
  return new uPlot(options, data, dom.chartHost);
}

/**
 * Characters arrived (the chunks' running total) and characters on screen (each paint) over the
 * same axis, a pair of series per request: the gap between the two lines is the display's lag,
 * what `rill.render.smoothing` trades for an even reveal. Step lines: both totals jump at events.
 */
export function drawDisplayChart(dom: TimelineDom, timelines: readonly NamedTimeline[], labels: TimelineLabels): uPlot | undefined {
  const host = dom.displayHost;
  const width = host?.clientWidth ?? 0;
  if (!host || width <= 0) return undefined;
  const colours = [cssVar('--vscode-charts-blue', 'CanvasText'), cssVar('--vscode-charts-purple', 'CanvasText'), cssVar('--vscode-charts-orange', 'CanvasText'), cssVar('--vscode-charts-green', 'CanvasText')];
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  // Arrived is drawn only where it compares with shown (every chunk answer text); a line with no points is left out.
  const pairs: uPlot.AlignedData[] = [];
  const series: uPlot.Series[] = [];
  timelines.forEach(({ name, timeline }, i) => {
    const lines: Array<[string, number[], number[]]> = [
      [labels.arrived, timeline.chunkAt, timeline.arrivedChars],
      [labels.shown, timeline.paintAt, timeline.paintChars],
    ];
    lines.forEach(([what, at, chars], k) => {
      if (!chars.length) return;
      pairs.push([at.slice(0, chars.length), chars]);
      series.push({ label: `${name}: ${what}`, stroke: colours[(i * 2 + k) % colours.length], width: k === 0 ? 1 : 2, spanGaps: true, points: { show: false }, paths: stepped });
    });
  });
  if (!pairs.length) return undefined;
  const options: uPlot.Options = { ...chartBase(dom, labels, width, 120, labels.chars), series: [{}, ...series] };
  return new uPlot(options, uPlot.join(pairs), host);
}

/** The lanes below share the chart's plot area, so a chunk mark sits under its moment on the axis. */
export function alignLanes(dom: TimelineDom, chart: uPlot): void {
  // bbox is in canvas pixels; the plot area in CSS pixels is that over the device pixel ratio.
  const left = chart.bbox.left / uPlot.pxRatio;
  const width = chart.bbox.width / uPlot.pxRatio;
  if (width <= 0) return;
  dom.lanes.style.paddingLeft = `${left}px`;
  dom.lanes.style.paddingRight = `${Math.max(0, dom.chartHost.clientWidth - left - width)}px`;
}

/** What both charts share: the timeline's time axis in ms, a value axis, the theme's axis and grid colours, no legend or cursor. */
function chartBase(dom: TimelineDom, labels: TimelineLabels, width: number, height: number, valueLabel: string): Omit<uPlot.Options, 'series'> {
  const gridColour = cssVar('--vscode-editorWidget-border', 'GrayText');
  const axis = { stroke: cssVar('--vscode-descriptionForeground', 'CanvasText'), grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 } };
  return {
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [dom.start, dom.end] } },
    axes: [
      { ...axis, values: (_u, ticks) => ticks.map((t) => fill(labels.ms, Math.round(t))) },
      { ...axis, label: valueLabel, size: 60 },
    ],
  };
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}
