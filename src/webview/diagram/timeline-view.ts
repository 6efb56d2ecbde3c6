import type { Timeline, TimelineFigures } from '../../core/trace/timeline-figures';
import { fill, type TimelineLabels } from '../../core/trace/timeline-labels';
import type { NamedTimeline } from '../../protocol/diagram-messages';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The stream inspector's timeline, as DOM: one lane per request on a shared time axis, with
 * one SVG line per chunk (`data-testid="timeline-chunk"`, its height the chunk's size), one per
 * webview post, the hops as full-height marks and the longest gaps shaded; then the figures,
 * gaps and chunk sizes as real tables, and every event as a table on demand.
 *
 * Why SVG drawn here and not the chart library's canvas: the marks are a contract (one element
 * per chunk, counted by tests) and must be reachable by a screen reader's table below; the
 * lanes use the time as their viewBox, so they scale with the view without any layout code.
 * uPlot (timeline-chart.ts) draws the tokens-per-second series over the same axis above them.
 */
export interface TimelineDom {
  root: HTMLElement;
  /** Where the chart goes, and the lanes whose left and right edges follow the chart's plot area. */
  chartHost: HTMLElement;
  lanes: HTMLElement;
  /** Where the arrived-and-shown chart goes; absent when no request has paints recorded. */
  displayHost?: HTMLElement;
  /** The shared axis. */
  start: number;
  end: number;
}

export function renderTimeline(timelines: readonly NamedTimeline[], labels: TimelineLabels): TimelineDom {
  const root = el('div', 'timeline');
  root.dataset.testid = 'timeline';
  const start = Math.min(...timelines.map((t) => t.timeline.start));
  const end = Math.max(start + 1, ...timelines.map((t) => t.timeline.end));
  for (const { name, timeline } of timelines) {
    const { keptChunks, chunks } = timeline.figures;
    if (keptChunks < chunks) root.append(el('p', 'timeline-partial', `${timelines.length > 1 ? `${name}: ` : ''}${fill(labels.partial, keptChunks, chunks)}`));
  }
  const chartHost = el('div', 'timeline-chart');
  chartHost.setAttribute('role', 'img');
  chartHost.setAttribute('aria-label', labels.chartLabel);
  const lanes = el('div', 'timeline-lanes');
  timelines.forEach((named, i) => lanes.append(lane(named, i, timelines.length, start, end, labels)));
  root.append(chartHost, lanes, legend(labels));
  let displayHost: HTMLElement | undefined;
  if (timelines.some((t) => t.timeline.paintAt.length > 0)) {
    displayHost = el('div', 'timeline-chart timeline-display');
    displayHost.setAttribute('role', 'img');
    displayHost.setAttribute('aria-label', labels.displayChartLabel);
    root.append(displayHost);
  }
  root.append(figuresTable(timelines, labels), gapsTable(timelines, labels), sizesTable(timelines, labels));
  timelines.forEach((named) => root.append(eventsDetails(named, timelines.length, labels)));
  return { root, chartHost, lanes, displayHost, start, end };
}

function lane(named: NamedTimeline, index: number, count: number, start: number, end: number, labels: TimelineLabels): HTMLElement {
  const { timeline } = named;
  const figure = el('figure', `timeline-lane series-${index}`);
  if (count > 1) figure.append(el('figcaption', '', `${index === 0 ? labels.first : labels.second}: ${named.name}`));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `${start} 0 ${end - start} 100`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', fill(labels.stripLabel, timeline.figures.chunks, fill(labels.ms, round(timeline.end - timeline.start))));
  const gaps = group('gaps');
  for (const gap of timeline.gaps) {
    const rect = svgEl('rect', { x: gap.from, y: 0, width: Math.max(gap.ms, 0.01), height: 100, class: 'gap' });
    rect.append(title(`${labels.gap}: ${fill(labels.ms, gap.ms)}`));
    gaps.append(rect);
  }
  // Chunks fill the top 70 units, their height growing with the square root of their size so a
  // few large chunks do not flatten the rest; posts to the webview are short ticks below them.
  let largest = 1;
  for (const chars of timeline.chunkChars) if (chars > largest) largest = chars;
  // Parsed from one string of numbers (nothing from the model or server goes in): for 20,000
  // chunks this is several times faster in Chromium than createElementNS and setAttribute each.
  const chunks = group('chunks');
  const lines: string[] = new Array(timeline.chunkAt.length);
  for (let i = 0; i < timeline.chunkAt.length; i++) {
    const at = timeline.chunkAt[i] as number;
    const chars = timeline.chunkChars[i] as number;
    const top = round(70 - (8 + 62 * Math.sqrt(chars / largest)));
    lines[i] = `<line x1="${at}" x2="${at}" y1="70" y2="${top}" class="chunk" data-testid="timeline-chunk" data-chars="${chars}"/>`;
  }
  chunks.innerHTML = lines.join('');
  const posts = group('posts');
  posts.innerHTML = timeline.postAt.map((at) => `<line x1="${at}" x2="${at}" y1="76" y2="90" class="post"/>`).join('');
  // The webview's paints, under the posts: with smoothing on, more of them than posts.
  const paints = group('paints');
  paints.innerHTML = timeline.paintAt.map((at) => `<line x1="${at}" x2="${at}" y1="92" y2="100" class="paint" data-testid="timeline-paint"/>`).join('');
  const marks = group('marks');
  for (const mark of timeline.marks) {
    const line = svgEl('line', { x1: mark.at, x2: mark.at, y1: 0, y2: 100, class: `mark mark-${mark.kind}` });
    line.append(title(`${labels.marks[mark.kind]}: ${fill(labels.ms, round(mark.at))}`));
    marks.append(line);
  }
  svg.append(gaps, chunks, posts, paints, marks);
  figure.append(svg);
  return figure;
}

/** The colours of the marks, in words (the SVG's titles are not reachable by keyboard). */
function legend(labels: TimelineLabels): HTMLElement {
  const list = el('ul', 'timeline-legend');
  list.setAttribute('aria-hidden', 'true');
  const entries: Array<[string, string]> = [
    ['chunk', labels.chunk],
    ['post', labels.post],
    ['paint', labels.paint],
    ['gap', labels.gap],
    ...(['send', 'request', 'headers', 'firstByte', 'firstToken', 'firstPaint', 'end', 'lastPaint'] as const).map((k): [string, string] => [`mark-${k}`, labels.marks[k]]),
  ];
  for (const [kind, text] of entries) {
    const item = el('li');
    item.append(el('span', `swatch ${kind}`), el('span', '', text));
    list.append(item);
  }
  return list;
}

type FigureRow = [label: string, value: (f: TimelineFigures) => string, testid?: string];

function figureRows(labels: TimelineLabels): FigureRow[] {
  const ms = (v: number | undefined) => (v === undefined ? '—' : fill(labels.ms, v));
  const rate = (v: number | undefined) => (v === undefined ? '—' : fill(labels.perSecond, v));
  return [
    [labels.ttft, (f) => ms(f.ttftMs), 'timeline-ttft'],
    [labels.chunks, (f) => String(f.chunks)],
    [labels.chars, (f) => String(f.chars)],
    [labels.posts, (f) => String(f.posts)],
    [labels.tokensPerSecond, (f) => rate(f.tokensPerSecond)],
    [labels.peakTokensPerSecond, (f) => rate(f.peakTokensPerSecond)],
    [labels.chunkChars, (f) => (f.medianChunkChars === undefined ? '—' : fill(labels.sizeSummary, f.medianChunkChars, f.p90ChunkChars ?? '—', f.maxChunkChars ?? '—'))],
    [labels.meanGap, (f) => ms(f.meanGapMs)],
    [labels.maxGap, (f) => ms(f.maxGapMs)],
    [labels.burstiness, (f) => (f.gapCv === undefined ? '—' : `${f.gapCv} (${labels.burstinessHint})`), 'timeline-burstiness'],
    [labels.paints, (f) => String(f.paints)],
    [labels.displayLag, (f) => (f.displayLagP95Ms === undefined ? '—' : fill(labels.lagSummary, f.displayLagP95Ms, f.displayLagMaxMs ?? '—')), 'timeline-display-lag'],
  ];
}

function figuresTable(timelines: readonly NamedTimeline[], labels: TimelineLabels): HTMLTableElement {
  const table = tableWith(labels.figuresCaption, [labels.figure, ...columns(timelines, labels, labels.value)]);
  table.dataset.testid = 'timeline-figures';
  for (const [label, value, testid] of figureRows(labels)) {
    const row = table.tBodies[0]!.insertRow();
    row.append(el('th', '', label));
    row.firstElementChild!.setAttribute('scope', 'row');
    timelines.forEach(({ timeline }, i) => {
      const cell = row.insertCell();
      cell.textContent = value(timeline.figures);
      if (testid) cell.dataset.testid = i === 0 ? testid : `${testid}-${i}`;
    });
  }
  return table;
}

function gapsTable(timelines: readonly NamedTimeline[], labels: TimelineLabels): HTMLTableElement {
  const many = timelines.length > 1;
  const table = tableWith(labels.gapsCaption, [...(many ? [''] : []), labels.time, labels.gap]);
  timelines.forEach(({ timeline }, i) => {
    for (const gap of timeline.gaps) {
      const row = table.tBodies[0]!.insertRow();
      if (many) row.insertCell().textContent = i === 0 ? labels.first : labels.second;
      row.insertCell().textContent = `${fill(labels.ms, round(gap.from))} → ${fill(labels.ms, round(gap.to))}`;
      row.insertCell().textContent = fill(labels.ms, gap.ms);
    }
  });
  return table;
}

function sizesTable(timelines: readonly NamedTimeline[], labels: TimelineLabels): HTMLTableElement {
  const table = tableWith(labels.sizesCaption, [labels.size, ...columns(timelines, labels, labels.chunksColumn)]);
  const bins = new Map<number, { max: number; counts: number[] }>();
  timelines.forEach(({ timeline }, i) => {
    for (const bin of timeline.sizes) {
      const entry = bins.get(bin.min) ?? { max: bin.max, counts: timelines.map(() => 0) };
      entry.counts[i] = bin.count;
      bins.set(bin.min, entry);
    }
  });
  for (const [min, { max, counts }] of [...bins].sort((a, b) => a[0] - b[0])) {
    const row = table.tBodies[0]!.insertRow();
    row.insertCell().textContent = fill(labels.charsUnit, min === max ? String(min) : `${min}–${max}`);
    for (const count of counts) row.insertCell().textContent = String(count);
  }
  return table;
}

/** Every event in time order: built when opened, as a 20,000-chunk answer makes 20,000 rows. */
function eventsDetails(named: NamedTimeline, count: number, labels: TimelineLabels): HTMLDetailsElement {
  const details = el('details', 'timeline-events') as HTMLDetailsElement;
  details.append(el('summary', '', count > 1 ? `${labels.showEvents}: ${named.name}` : labels.showEvents));
  details.addEventListener('toggle', () => {
    if (!details.open || details.querySelector('table')) return;
    details.append(eventsTable(named.timeline, labels));
  });
  return details;
}

export function eventsTable(timeline: Timeline, labels: TimelineLabels): HTMLTableElement {
  const table = tableWith(labels.eventsCaption, [labels.time, labels.event, labels.size]);
  // At the same time, a hop that starts something comes before the chunk, one that ends it after.
  const after = new Set(['end', 'lastPaint', 'stop']);
  const events: Array<[number, number, string, string]> = [
    ...timeline.marks.map((m): [number, number, string, string] => [m.at, after.has(m.kind) ? 3 : 0, labels.marks[m.kind], '']),
    ...timeline.chunkAt.map((at, i): [number, number, string, string] => [at, 1, `${labels.chunk} ${i + 1}`, fill(labels.charsUnit, timeline.chunkChars[i] ?? 0)]),
    ...timeline.postAt.map((at, i): [number, number, string, string] => [at, 2, labels.post, fill(labels.charsUnit, timeline.postChars[i] ?? 0)]),
    ...timeline.paintAt.map((at, i): [number, number, string, string] => [at, 2, labels.paint, fill(labels.charsUnit, timeline.paintChars[i] ?? 0)]),
  ].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const body = table.tBodies[0]!;
  const rows = events.map(([at, , event, size]) => {
    const row = document.createElement('tr');
    row.append(el('td', '', fill(labels.ms, round(at))), el('td', '', event), el('td', '', size));
    return row;
  });
  body.append(...rows);
  return table;
}

function columns(timelines: readonly NamedTimeline[], labels: TimelineLabels, single: string): string[] {
  return timelines.length > 1 ? timelines.map((t, i) => `${i === 0 ? labels.first : labels.second}: ${t.name}`) : [single];
}

function tableWith(caption: string, headers: string[]): HTMLTableElement {
  const table = document.createElement('table');
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const text of headers) {
    const th = el('th', '', text);
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  table.createTBody();
  return table;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function group(className: string): SVGGElement {
  const g = document.createElementNS(SVG, 'g');
  g.setAttribute('class', className);
  return g;
}

function svgEl(tag: 'line' | 'rect', attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function title(text: string): SVGTitleElement {
  const node = document.createElementNS(SVG, 'title');
  node.textContent = text;
  return node;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
