// In headless Chromium (bundled by timeline.bench.ts): drawing the stream inspector's timeline of
// a 20,000-chunk request (DOM and SVG marks, tables, uPlot's chart, then layout and paint),
// beside drawing the Mermaid sequence diagram of the same trace, the view's other tab.
import mermaid from 'mermaid';
import { timelineEn } from '../../src/core/trace/timeline-labels';
import type { NamedTimeline } from '../../src/protocol/diagram-messages';
import { drawChart } from '../../src/webview/diagram/timeline-chart';
import { renderTimeline } from '../../src/webview/diagram/timeline-view';

declare global {
  interface Window {
    runTimelineBench(timelines: readonly NamedTimeline[], source: string, rounds: number): Promise<Record<string, number>>;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
/** Until the next frame has been painted: what the user waits for. */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

window.runTimelineBench = async (timelines, source, rounds) => {
  const host = document.createElement('div');
  host.style.width = '1200px';
  document.body.append(host);
  const timelineMs: number[] = [];
  const domMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    host.replaceChildren();
    await painted();
    const t = performance.now();
    const dom = renderTimeline(timelines, timelineEn);
    host.append(dom.root);
    domMs.push(performance.now() - t);
    drawChart(dom, timelines, timelineEn);
    void host.getBoundingClientRect();
    await painted();
    timelineMs.push(performance.now() - t);
  }
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 10_000_000 });
  const mermaidMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    host.replaceChildren();
    await painted();
    const t = performance.now();
    const { svg } = await mermaid.render(`bench-${r}`, source);
    host.innerHTML = svg;
    void host.getBoundingClientRect();
    await painted();
    mermaidMs.push(performance.now() - t);
  }
  return {
    timelineMs: median(timelineMs),
    timelineDomMs: median(domMs),
    mermaidMs: median(mermaidMs),
    chunkMarks: document.querySelectorAll('[data-testid="timeline-chunk"]').length,
  };
};
