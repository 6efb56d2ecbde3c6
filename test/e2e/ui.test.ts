// Keyboard, screen-reader and theme behaviour of the chat in a real VS Code web workbench:
// Enter / Shift+Enter / Escape / Up, the live regions, focus order and names (checked with
// axe-core inside the webview), and the light, dark and high-contrast themes (screenshots in
// test-results/e2e/theme-*.png).
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { chatStream, scenarios, startLlmServer, type LlmServer } from '../../src/local-llm';
import { openWorkbench, type Workbench } from './support/workbench';

const artifacts = join(__dirname, '..', '..', 'test-results', 'e2e');
const ANSWERS = '[data-testid="message"][data-role="assistant"]';
const INPUT = '[data-testid="chat-input"]';

/** A finished answer with everything markdown can put in the log: code block, table and link. */
const RICH_ANSWER = [
  'Here is a **summary** with a [link to the docs](https://code.visualstudio.com/api).',
  '',
  '| Key | Action |',
  '| --- | ------ |',
  '| Enter | Send |',
  '| Shift+Enter | New line |',
  '',
  '```ts',
  'const answer = await rill.ask("hi");',
  '```',
  '',
  'That is all.',
].join('\n');

/** Sends a prompt through the composer and returns the index its answer will have. */
async function send(frame: Frame, prompt: string): Promise<number> {
  const n = await frame.$$eval(ANSWERS, (els) => els.length);
  await frame.fill(INPUT, prompt);
  await frame.press(INPUT, 'Enter');
  return n;
}

async function waitForAnswer(frame: Frame, n: number, state: string, timeout = 15_000): Promise<void> {
  await frame.waitForFunction(
    ([selector, i, wanted]) => document.querySelectorAll(selector)[i]?.getAttribute('data-state') === wanted,
    [ANSWERS, n, state] as const,
    { timeout },
  );
}

/** Role, state and text of every message, in order. */
const transcript = (frame: Frame) =>
  frame.$$eval('[data-testid="message"]', (els) =>
    els.map((e) => [e.getAttribute('data-role'), e.getAttribute('data-state'), e.querySelector('[data-testid="message-body"]')?.textContent?.trim()]),
  );

/** The chat completion requests the server received (the model picker also asks GET /v1/models). */
const chatRequests = (server: LlmServer) => server.requests.filter((r) => r.path.endsWith('/chat/completions'));
const lastUserContent = (server: LlmServer) =>
  (chatRequests(server).at(-1)?.body.messages as Array<{ role: string; content: string }> | undefined)?.filter((m) => m.role === 'user').map((m) => m.content);

/** The `data-testid` (or tag) of the focused element of the frame, `null` when focus left the frame. */
const focused = (frame: Frame) =>
  frame.evaluate(() => {
    const el = document.activeElement;
    if (!document.hasFocus() || !el || el === document.body) return null;
    return (el as HTMLElement).dataset.testid ?? el.tagName.toLowerCase();
  });

// ---------------------------------------------------------------------------------------------
// axe-core inside the webview

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string; html: string }>;
}

const axeSource = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');
/** How axe got into the webview, for the report (see injectAxe). */
let axeInjection = '';

/**
 * The webview's CSP is `script-src 'nonce-…'`: the inline <script> `frame.addScriptTag({ content })`
 * adds has no nonce and is refused (tried first, so the report says so if that ever changes).
 * `frame.evaluate` runs over the DevTools protocol, where the page's CSP does not apply, so axe's
 * source goes in as the body of a function: `new Function(source)` only builds that wrapper here,
 * in Node; Playwright sends its text and the webview runs it.
 */
async function injectAxe(frame: Frame): Promise<void> {
  if (await frame.evaluate(() => 'axe' in window)) return;
  let tagError = 'no error';
  try {
    await frame.addScriptTag({ content: axeSource });
  } catch (error) {
    tagError = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  }
  if (await frame.evaluate(() => 'axe' in window)) {
    axeInjection = 'addScriptTag({ content })';
    return;
  }
  await frame.evaluate(new Function(axeSource) as () => void);
  assert.ok(await frame.evaluate(() => 'axe' in window), 'axe-core could not be loaded into the webview');
  axeInjection = `addScriptTag was blocked by the CSP (${tagError}); evaluate(new Function(source)) worked`;
}

/**
 * The one rule that cannot apply to a VS Code webview: `page-has-heading-one`. The webview
 * document is a fragment of the workbench's page (the workbench owns the window title and the
 * editor tab names the chat), and a chat has no document heading of its own; answers may bring
 * headings of any level. Everything else runs, including `landmark-one-main` and `region`.
 */
const FRAGMENT_RULES = { 'page-has-heading-one': { enabled: false } };

/**
 * Runs axe on the whole webview document. axe cannot judge the colours of what is scrolled out of
 * view (it reports those as "incomplete"), so the page is made tall enough for the whole log to
 * show while it runs; `unchecked` lists what axe still could not decide ("needs review").
 */
async function runAxe(page: Page, frame: Frame, options: { only?: string[] } = {}): Promise<{ violations: AxeResult[]; unchecked: string[] }> {
  await injectAxe(frame);
  const viewport = page.viewportSize();
  const height = await frame.$eval('[data-testid="messages"]', (log) => log.scrollHeight - log.clientHeight);
  if (viewport && height > 0) await page.setViewportSize({ width: viewport.width, height: viewport.height + height + 100 });
  try {
    await frame.waitForFunction(() => {
      const log = document.querySelector('[data-testid="messages"]');
      return !!log && log.scrollHeight <= log.clientHeight;
    });
    return await axeRun(frame, options.only);
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
}

function axeRun(frame: Frame, only: string[] | undefined): Promise<{ violations: AxeResult[]; unchecked: string[] }> {
  return frame.evaluate(
    async ([rules, only]) => {
      type Raw = AxeResult & { nodes: Array<AxeResult['nodes'][number] & { failureSummary?: string }> };
      const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: Raw[]; incomplete: Raw[] }> } }).axe;
      const runOnly = only ? { type: 'rule', values: only } : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] };
      const result = await axe.run(document, { runOnly, rules: only ? {} : rules, resultTypes: ['violations', 'incomplete'] });
      return {
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html.slice(0, 160) })),
        })),
        unchecked: result.incomplete.flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()}`)),
      };
    },
    [FRAGMENT_RULES, only] as const,
  );
}

function formatViolations(violations: AxeResult[]): string {
  return violations
    .map((v) =>
      [
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help} <${v.helpUrl}>`,
        ...v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`),
      ].join('\n'),
    )
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// themes

/** Picks a colour theme through "Preferences: Color Theme", by its label in the picker. */
async function pickColorTheme(page: Page, label: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  const row = (name: string) =>
    widget.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[+]/g, '\\+')}$`) }) });
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await row('Preferences: Color Theme').first().click();
  // The theme picker replaces the command list in the same widget (its list is virtual: not every
  // theme has a row until the filter narrows it).
  await page.waitForFunction(() => /Color Theme/.test(document.querySelector('.quick-input-widget input')?.getAttribute('placeholder') ?? ''));
  await input.fill(label);
  await row(label).first().click();
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** What the webview shows of the theme: body classes, colours, and the variables they should come from. */
const themeLook = (frame: Frame) =>
  frame.evaluate(() => {
    // (No local named functions in page code: tsx would wrap them in its `__name` helper, unknown there.)
    const root = getComputedStyle(document.documentElement);
    const body = getComputedStyle(document.body);
    const send = document.querySelector('[data-testid="send"]');
    return {
      classes: [...document.body.classList].filter((c) => c.startsWith('vscode-')),
      background: body.backgroundColor,
      color: body.color,
      sendBackground: send ? getComputedStyle(send).backgroundColor : '',
      vars: {
        backgrounds: ['--vscode-sideBar-background', '--vscode-editor-background', '--vscode-panel-background'].map((v) => root.getPropertyValue(v).trim()).filter(Boolean),
        foreground: root.getPropertyValue('--vscode-foreground').trim(),
        button: root.getPropertyValue('--vscode-button-background').trim(),
      },
    };
  });

/** A CSS colour as [r, g, b] via a canvas (handles #hex, rgb() and names alike). */
const toRgb = (frame: Frame, colour: string) =>
  frame.evaluate((c) => {
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return [NaN, NaN, NaN];
    ctx.fillStyle = c;
    ctx.fillRect(0, 0, 1, 1);
    return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  }, colour);

const luminance = ([r, g, b]: number[]) => (0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)) / 255;

// ---------------------------------------------------------------------------------------------

describe('Rill UI: keyboard, screen readers and themes (web workbench + Chromium)', function () {
  let server: LlmServer;
  let workbench: Workbench;
  let chat: Frame;
  /** The webview's background in each theme, as [r, g, b]. */
  const backgrounds: Record<string, number[]> = {};
  const startedAt = Date.now() - 1000;

  before(async function () {
    mkdirSync(artifacts, { recursive: true });
    server = await startLlmServer();
    workbench = await openWorkbench({
      settings: {
        'rill.provider': 'openai-compatible',
        'rill.baseUrl': server.url,
        'rill.model': 'rill-e2e',
        'workbench.colorTheme': 'Dark Modern',
      },
    });
    await workbench.runCommand('Rill: Open Chat');
    chat = await workbench.webviewFrame(INPUT);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it('Shift+Enter inserts a new line without sending; Enter sends the whole prompt', async function () {
    const requestsBefore = chatRequests(server).length;
    await chat.click(INPUT);
    await workbench.page.keyboard.type('Show me a table');
    await workbench.page.keyboard.press('Shift+Enter');
    await workbench.page.keyboard.type('and a code block');
    assert.equal(await chat.inputValue(INPUT), 'Show me a table\nand a code block');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(chatRequests(server).length, requestsBefore, 'Shift+Enter did not send');
    assert.equal(await chat.locator('[data-testid="message"]').count(), 0);

    server.enqueue(chatStream({ text: RICH_ANSWER, chunkSize: 8, delayMs: 2 }));
    await workbench.page.keyboard.press('Enter');
    await waitForAnswer(chat, 0, 'done');
    assert.equal(await chat.inputValue(INPUT), '', 'the box is cleared');
    assert.deepEqual(lastUserContent(server), ['Show me a table\nand a code block']);
    const shape = await chat.$eval(`${ANSWERS} [data-testid="message-body"]`, (body) => ({
      link: body.querySelector('a')?.textContent,
      cells: body.querySelectorAll('td').length,
      code: body.querySelector('pre code')?.textContent,
    }));
    assert.deepEqual(shape, { link: 'link to the docs', cells: 4, code: 'const answer = await rill.ask("hi");\n' });
  });

  it('Up in the empty box brings the last prompt back for editing; Enter resends it in its place', async function () {
    server.enqueue(chatStream({ text: 'The capital of France is Paris.' }));
    await waitForAnswer(chat, await send(chat, 'What is the capital of Frnace?'), 'done');
    const before = await transcript(chat);

    await chat.focus(INPUT);
    assert.equal(await chat.inputValue(INPUT), '');
    await workbench.page.keyboard.press('ArrowUp');
    await chat.waitForSelector('[data-testid="edit-note"]', { state: 'visible' });
    assert.equal(await chat.inputValue(INPUT), 'What is the capital of Frnace?');

    // Fix the typo where it is and resend.
    await chat.fill(INPUT, 'What is the capital of France?');
    server.enqueue(chatStream({ text: 'Paris.' }));
    const requests = chatRequests(server).length;
    await workbench.page.keyboard.press('Enter');
    await chat.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="message"]').length === n && document.querySelector('[data-testid="message"]:last-child')?.getAttribute('data-state') === 'done',
      before.length,
    );
    // The new answer's text can be on screen before it is finished: wait for both.
    await chat.waitForFunction(() => {
      const last = document.querySelector('[data-testid="message"]:last-child');
      return last?.getAttribute('data-state') === 'done' && last.textContent?.includes('Paris.') && !last.textContent.includes('capital of France is');
    });
    assert.equal(chatRequests(server).length, requests + 1);
    // The request carries the edited prompt in place of the old one, not both.
    assert.deepEqual(lastUserContent(server), ['Show me a table\nand a code block', 'What is the capital of France?']);
    assert.deepEqual(await transcript(chat), [
      ...before.slice(0, -2),
      ['user', 'done', 'What is the capital of France?'],
      ['assistant', 'done', 'Paris.'],
    ]);
    assert.equal(await chat.isVisible('[data-testid="edit-note"]'), false, 'the edit note goes away');
  });

  it('Escape stops the answer that is streaming', async function () {
    server.enqueue(scenarios.slowStream());
    const n = await send(chat, 'Tell me a long story');
    await chat.waitForFunction(
      ([selector, i]) => (document.querySelectorAll(selector)[i]?.querySelector('[data-testid="message-body"]')?.textContent ?? '').length > 20,
      [ANSWERS, n] as const,
    );
    const request = server.requests.length - 1;
    // Focus is still in the prompt box after Enter: Escape there stops the stream.
    assert.equal(await focused(chat), 'chat-input');
    await workbench.page.keyboard.press('Escape');
    await waitForAnswer(chat, n, 'stopped', 5_000);
    const closed = await server.waitForClose(request);
    assert.equal(closed.finishedNormally, false, 'the request was cut off');
    assert.equal(await chat.isEnabled('[data-testid="send"]'), true);
  });

  it('the log is a role="log" region; a streaming answer is aria-busy and finished paragraphs are announced one by one', async function () {
    const paragraphs = [
      'Streaming answers are read out by paragraph. This one is the first.',
      'The second paragraph only counts once the third one has started.',
      'A third paragraph, long enough to arrive in several small chunks of text.',
      'The last paragraph is announced when the answer ends.',
    ];
    const log = await chat.$eval('[data-testid="messages"]', (el) => ({ role: el.getAttribute('role'), label: el.getAttribute('aria-label') }));
    assert.equal(log.role, 'log');
    assert.ok(log.label, 'the log has a name');
    const announcer = await chat.$eval('[data-testid="announcer"]', (el) => ({ role: el.getAttribute('role'), live: el.getAttribute('aria-live') }));
    assert.deepEqual(announcer, { role: 'status', live: 'polite' });

    // Record, on every change of the log or the announcer, the new answer's aria-busy and state and
    // the lines announced so far. (One observer and no local named functions: tsx would wrap those
    // in its `__name` helper, which does not exist in the page.)
    await chat.evaluate((answers) => {
      type Sample = { busy: string | null; state: string | null; lines: string[] };
      const samples: Sample[] = [];
      const announced: string[] = [];
      (window as unknown as { rillSamples: Sample[] }).rillSamples = samples;
      const start = document.querySelectorAll(answers).length;
      const region = document.querySelector('[data-testid="announcer"]');
      const log = document.querySelector('[data-testid="messages"]');
      if (!region || !log) throw new Error('no announcer or log');
      const observer = new MutationObserver((records) => {
        for (const r of records) if (r.target === region) for (const node of r.addedNodes) announced.push(node.textContent ?? '');
        const article = document.querySelectorAll(answers)[start];
        if (article) samples.push({ busy: article.getAttribute('aria-busy'), state: article.getAttribute('data-state'), lines: [...announced] });
      });
      observer.observe(region, { childList: true });
      observer.observe(log, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy', 'data-state'], characterData: true });
    }, ANSWERS);
    server.enqueue(chatStream({ text: paragraphs.join('\n\n'), chunkSize: 7, delayMs: 15 }));
    const n = await send(chat, 'Answer in four paragraphs');
    await waitForAnswer(chat, n, 'done');

    const samples = await chat.evaluate(() => (window as unknown as { rillSamples: Array<{ busy: string | null; state: string | null; lines: string[] }> }).rillSamples);
    const expected = [`Rill: ${paragraphs[0]}`, ...paragraphs.slice(1)];
    const streaming = samples.filter((s) => s.state === 'streaming');
    assert.ok(streaming.length > 10, `sampled ${streaming.length} streaming states`);
    assert.ok(streaming.every((s) => s.busy === 'true'), 'aria-busy="true" all the while the answer streams');
    assert.equal(samples.at(-1)?.busy, 'false', 'aria-busy="false" once it is done');
    // The announcer grows in whole paragraphs, in order, never a part of one.
    for (const s of samples) assert.deepEqual(s.lines, expected.slice(0, s.lines.length), `a partial announcement: ${JSON.stringify(s.lines)}`);
    assert.deepEqual(samples.at(-1)?.lines, expected);
    // …and as each paragraph is finished, not all at the end.
    const announcedWhileStreaming = Math.max(...streaming.map((s) => s.lines.length));
    // A paragraph is final once two more blocks follow it (a later line can still change an
    // earlier block: `2` becoming `2.` makes a list), so all but the last two are read while the
    // answer streams, and the rest when it ends; always whole paragraphs, never tokens.
    assert.ok(announcedWhileStreaming >= paragraphs.length - 2, `paragraphs read while streaming: ${announcedWhileStreaming}`);
  });

  it('keeps following the end when a diagram is drawn after the answer has ended', async function () {
    // Enough text to scroll the log, then a diagram far taller than its source: it is drawn once
    // the answer ends, after the last scroll that followed the text.
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} of the walk-through, long enough to take a line or two of the chat's width.`);
    const diagram = ['```mermaid', 'sequenceDiagram', ...Array.from({ length: 12 }, (_, i) => `  S${i % 3}->>S${(i + 1) % 3}: step ${i + 1}`), '```'].join('\n');
    const text = [...paragraphs, diagram].join('\n\n');
    server.enqueue(chatStream({ text, chunkSize: 24, delayMs: 5 }));
    const n = await send(chat, 'Walk me through it with a diagram at the end');
    await waitForAnswer(chat, n, 'done');
    await chat.waitForSelector(`${ANSWERS} >> nth=${n} >> [data-testid="mermaid"] svg`, { timeout: 30_000 });
    // Two frames: whatever follows the drawing has run.
    await chat.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const log = await chat.$eval('[data-testid="messages"]', (el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight, scrollTop: el.scrollTop }));
    assert.ok(log.scrollHeight > log.clientHeight * 1.5, `the answer scrolls the log: ${JSON.stringify(log)}`);
    const fromEnd = log.scrollHeight - log.clientHeight - log.scrollTop;
    assert.ok(fromEnd <= 2, `the log is left ${fromEnd} px above its end once the diagram is drawn`);
    const body = await chat.$eval(`${ANSWERS} >> nth=${n}`, (el) => el.querySelector('[data-testid="message-body"]')?.textContent ?? '');
    assert.match(body, /^Paragraph 1 of the walk-through[\s\S]*Paragraph 12 of the walk-through/, 'the text above the diagram is all there');
    assert.equal(await chat.isHidden('[data-testid="jump-to-latest"]'), true, 'no Jump to latest: the reader never left the end');
  });

  it('an error answer offers its action as a named button', async function () {
    server.enqueue(scenarios.unauthorized());
    const n = await send(chat, 'Hello?');
    await waitForAnswer(chat, n, 'error');
    const action = chat.locator(`${ANSWERS} >> nth=${n} >> [data-testid="action-setApiKey"]`);
    assert.equal(await action.textContent(), 'Set API Key');
    assert.equal(await action.evaluate((el) => el.tagName), 'BUTTON');
    assert.match((await chat.textContent(`${ANSWERS} >> nth=${n} >> [data-testid="message-status"]`)) ?? '', /Error/);
  });

  it('Tab goes from the prompt box to the tools switch and Send, and every focusable element has a name', async function () {
    // Forwards from the prompt box: the conversation's tools switch, then Send (Stop is hidden when nothing streams).
    await chat.focus(INPUT);
    const forwards: Array<string | null> = [];
    for (let i = 0; i < 2; i++) {
      await workbench.page.keyboard.press('Tab');
      forwards.push(await focused(chat));
    }
    assert.deepEqual(forwards, ['tools-toggle', 'send'], `Tab order from the input: ${JSON.stringify(forwards)}`);
    // Backwards from the prompt box: into the last message's tools (its action button).
    await chat.focus(INPUT);
    const backwards: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      await workbench.page.keyboard.press('Shift+Tab');
      backwards.push(await focused(chat));
    }
    assert.deepEqual(backwards, ['regenerate', 'show-diagram', 'copy', 'action-setApiKey'], 'Shift+Tab from the input: the last answer\'s tools, then its action');

    // The whole tab sequence of the chat, from its first element, every stop named.
    await injectAxe(chat);
    const stops = await chat.evaluate(() => {
      const axe = (window as unknown as { axe: { setup(): void; teardown(): void; commons: { text: { accessibleText(el: Element): string } } } }).axe;
      axe.setup();
      try {
        const candidates = [...document.querySelectorAll<HTMLElement>('button, a[href], textarea, input, select, summary, [tabindex]')];
        return candidates
          .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0)
          .map((el) => ({ id: el.dataset.testid ?? el.tagName.toLowerCase(), name: axe.commons.text.accessibleText(el).trim() }));
      } finally {
        axe.teardown();
      }
    });
    assert.ok(stops.length >= 8, `focusable elements: ${JSON.stringify(stops)}`);
    const unnamed = stops.filter((s) => !s.name);
    assert.deepEqual(unnamed, [], 'focusable elements without an accessible name');
    // Tab really visits them in document order, starting at the top of the chat.
    await chat.focus('[data-testid="new-chat"]');
    const walked: Array<string | null> = [await focused(chat)];
    for (let i = 1; i < stops.length; i++) {
      await workbench.page.keyboard.press('Tab');
      walked.push(await focused(chat));
    }
    assert.deepEqual(walked, stops.map((s) => s.id));
  });

  it('passes axe-core (WCAG 2 A/AA and best practices) with markdown, an error, and focus in the box', async function () {
    await chat.focus(INPUT);
    const { violations, unchecked } = await runAxe(workbench.page, chat);
    console.log(`      axe-core ${readAxeVersion()} in the webview via ${axeInjection}`);
    if (unchecked.length) console.log(`      axe could not decide (needs review):\n        ${unchecked.join('\n        ')}`);
    assert.deepEqual(violations.map((v) => v.id), [], `axe-core violations:\n${formatViolations(violations)}`);
  });

  for (const theme of [
    { label: 'Light Modern', file: 'light', kind: 'light', classes: ['vscode-light'] },
    { label: 'Dark High Contrast', file: 'dark-high-contrast', kind: 'dark', classes: ['vscode-high-contrast'] },
    { label: 'Light High Contrast', file: 'light-high-contrast', kind: 'light', classes: ['vscode-high-contrast', 'vscode-high-contrast-light'] },
    { label: 'Dark Modern', file: 'dark', kind: 'dark', classes: ['vscode-dark'] },
  ] as const) {
    it(`follows the ${theme.label} theme: theme classes and colour variables, codicons (theme-${theme.file}.png)`, async function () {
      await pickColorTheme(workbench.page, theme.label);
      await chat.waitForFunction((c) => c.every((name) => document.body.classList.contains(name)), [...theme.classes]);
      await chat.locator(`${ANSWERS} >> nth=0`).scrollIntoViewIfNeeded();
      await workbench.screenshot(join(artifacts, `theme-${theme.file}.png`));

      const look = await themeLook(chat);
      for (const name of ['vscode-light', 'vscode-dark', 'vscode-high-contrast']) {
        assert.equal(look.classes.includes(name), (theme.classes as readonly string[]).includes(name), `${name} in ${JSON.stringify(look.classes)}`);
      }
      // Every colour comes from the theme's variables.
      const background = await toRgb(chat, look.background);
      const themeBackgrounds = await Promise.all(look.vars.backgrounds.map((c) => toRgb(chat, c)));
      assert.ok(themeBackgrounds.some((c) => c.join() === background.join()), `background ${look.background} is one of the theme's ${JSON.stringify(look.vars.backgrounds)}`);
      assert.deepEqual(await toRgb(chat, look.color), await toRgb(chat, look.vars.foreground));
      if (!theme.label.includes('High Contrast')) assert.deepEqual(await toRgb(chat, look.sendBackground), await toRgb(chat, look.vars.button));
      backgrounds[theme.file] = background;
      const light = luminance(backgrounds[theme.file] ?? []);
      assert.ok(theme.kind === 'light' ? light > 0.7 : light < 0.3, `background ${look.background} (luminance ${light.toFixed(2)}) for a ${theme.kind} theme`);

      // Codicons are drawn by their font, not as boxes: the font is loaded and the glyphs have width.
      const icons = await chat.evaluate(async () => {
        await document.fonts.ready;
        const icon = document.querySelector('[data-testid="send"] .codicon');
        if (!icon) return undefined;
        const before = getComputedStyle(icon, '::before');
        return { family: before.fontFamily, content: before.content, width: icon.getBoundingClientRect().width, loaded: document.fonts.check('16px codicon') };
      });
      assert.ok(icons, 'the Send button has a codicon');
      assert.match(icons.family, /codicon/);
      assert.match(icons.content, /^"[\uE000-\uF8FF]"$/u, `a private-use glyph, got ${icons.content}`);
      assert.ok(icons.loaded && icons.width >= 12, `codicon font loaded and drawn: ${JSON.stringify(icons)}`);
    });

    it(`keeps text and links readable in ${theme.label} (axe color-contrast, link-in-text-block)`, async function () {
      assert.ok(await chat.evaluate((c) => c.every((name) => document.body.classList.contains(name)), [...theme.classes]), `still in ${theme.label}`);
      const { violations: contrast, unchecked } = await runAxe(workbench.page, chat, { only: ['color-contrast', 'link-in-text-block'] });
      if (unchecked.length) console.log(`      ${theme.label}: axe could not decide:\n        ${unchecked.join('\n        ')}`);
      assert.deepEqual(contrast.map((v) => v.id), [], `contrast in ${theme.label}:\n${formatViolations(contrast)}`);
    });
  }

  it('light and dark themes give the chat different backgrounds (screenshots of each written)', async function () {
    for (const file of ['light', 'dark', 'dark-high-contrast', 'light-high-contrast']) {
      const shot = statSync(join(artifacts, `theme-${file}.png`));
      assert.ok(shot.mtimeMs >= startedAt && shot.size > 10_000, `theme-${file}.png was written by this run`);
    }
    const { light, dark } = backgrounds;
    assert.ok(light && dark, `backgrounds seen: ${JSON.stringify(backgrounds)}`);
    assert.notDeepEqual(light, dark);
    assert.ok(luminance(light) - luminance(dark) > 0.5, `light ${JSON.stringify(light)} vs dark ${JSON.stringify(dark)}`);
  });
});

function readAxeVersion(): string {
  return (JSON.parse(readFileSync(createRequire(__filename).resolve('axe-core/package.json'), 'utf8')) as { version: string }).version;
}
