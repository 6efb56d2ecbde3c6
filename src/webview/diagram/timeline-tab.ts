import type { TimelineLabels } from '../../core/trace/timeline-labels';
import type { NamedTimeline } from '../../protocol/diagram-messages';
import { alignLanes, drawChart, drawDisplayChart } from './timeline-chart';
import { renderTimeline, type TimelineDom } from './timeline-view';

type Tab = 'flow' | 'timeline';

let current: { dom: TimelineDom; timelines: NamedTimeline[]; labels: TimelineLabels; chart?: ReturnType<typeof drawChart>; display?: ReturnType<typeof drawChart> } | undefined;

/**
 * The Flow and Timeline tabs (WAI-ARIA tabs: arrow keys move between them) and the Compare
 * button. Returns `undefined` when the page has no tabs (a view opened without a trace).
 */
export function setupTabs(compare: () => void): { select(tab: Tab): void } | undefined {
  const buttons = { flow: document.getElementById('tab-flow'), timeline: document.getElementById('tab-timeline') };
  const panels = { flow: document.getElementById('flow-panel'), timeline: document.getElementById('timeline-panel') };
  if (!buttons.flow || !buttons.timeline || !panels.flow || !panels.timeline) return undefined;
  const select = (tab: Tab, focus = false) => {
    for (const name of ['flow', 'timeline'] as const) {
      const on = name === tab;
      buttons[name]!.setAttribute('aria-selected', String(on));
      buttons[name]!.tabIndex = on ? 0 : -1;
      panels[name]!.hidden = !on;
    }
    if (focus) buttons[tab]!.focus();
    // The chart measures its width: it is drawn once its panel is visible.
    if (tab === 'timeline') chart();
  };
  for (const name of ['flow', 'timeline'] as const) {
    buttons[name]!.addEventListener('click', () => select(name));
    buttons[name]!.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') select(name === 'flow' ? 'timeline' : 'flow', true);
    });
  }
  document.getElementById('compare')?.addEventListener('click', compare);
  window.addEventListener('resize', () => {
    if (!current?.chart) return;
    current.chart.setSize({ width: current.dom.chartHost.clientWidth, height: 160 });
    current.display?.setSize({ width: current.dom.displayHost?.clientWidth ?? 0, height: 120 });
    alignLanes(current.dom, current.chart);
  });
  // The canvas's colours were read from the theme: a theme change redraws it.
  new MutationObserver(() => {
    if (!current?.chart) return;
    current.chart.destroy();
    current.display?.destroy();
    current.chart = current.display = undefined;
    current.dom.chartHost.replaceChildren();
    current.dom.displayHost?.replaceChildren();
    if (!panels.timeline!.hidden) chart();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return { select: (tab) => select(tab) };
}

/** Replaces the Timeline tab's content with these requests' timelines. */
export function showTimeline(timelines: NamedTimeline[], labels: TimelineLabels): void {
  const panel = document.getElementById('timeline-panel');
  if (!panel) return;
  current?.chart?.destroy();
  current?.display?.destroy();
  const dom = renderTimeline(timelines, labels);
  panel.replaceChildren(dom.root);
  current = { dom, timelines, labels };
  if (!panel.hidden) chart();
}

function chart(): void {
  if (!current || current.chart) return;
  try {
    current.chart = drawChart(current.dom, current.timelines, current.labels);
    current.display = drawDisplayChart(current.dom, current.timelines, current.labels);
  } catch {
    // No canvas (a test's DOM): the lanes and tables carry every figure without the chart.
    current.chart = undefined;
  }
}
