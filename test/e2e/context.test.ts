// Attached context end to end (issue 13) in the real workbench, against the installed .vsix: what
// the user attaches (command, editor menu, `#file` completion, a drop, the Add Context button)
// shows as chips and reaches the server as fenced blocks; answers link back into the workspace and
// apply code blocks through VS Code's diff editor, writing only on Accept.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Frame } from 'playwright-core';
import { lazyTokenCounter } from '../../src/core/context/token-counter';
import { chatStream, type RecordedRequest } from '../../src/local-llm';
import { ANSWERS, answer, send, waitForAnswer } from './support/chat';
import { contentText, eventually, messagesOf, openAgentBench, screenshotOnFailure, type AgentBench } from './support/agent';

const APP = [
  'export function greet(name: string): string {',
  '  const greeting = `Hello, ${name}!`; // app-line-2',
  '  return greeting; // app-line-3',
  '}',
  '',
  'export const answer = 42; // app-line-6',
  '',
].join('\n');
const UTILS = "export const UTIL_MARKER = 'utils-7731';\nexport const twice = (n: number): number => n * 2;\n";
const NOTES = '# Notes\n\nThe drop marker is 5521.\n';
const CONFIG = 'export const config = {\n  retries: 3,\n  verbose: false,\n};\n';
const CONFIG_NEW = 'export const config = {\n  retries: 5,\n  verbose: true,\n};';
const CREATED = "export const created = 'by Apply to file';";
/** 400 numbered lines, far more than the 2000-token window lets through. */
const LARGE_LINES = Array.from({ length: 400 }, (_, i) => {
  const n = String(i + 1).padStart(4, '0');
  return `export const row_${n} = 'large file row ${n} of 400, padded with words to cost tokens';`;
});
const LARGE = `${LARGE_LINES.join('\n')}\n`;
/** NUL bytes: a binary file by git's rule, which Rill uses. */
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x01, 0x02, 0x03]);
const WINDOW = 2000;
const TS = ['typescript', 'ts'];

const CHIPS = '[data-testid="context-chips"] [data-testid="context-chip"]';
const INPUT = '[data-testid="chat-input"]';
const USER_MESSAGES = '[data-testid="message"][data-role="user"]';
const INTRO = 'The user attached the following context to this message.';
/**
 * A fenced block as the model receives it. The fence's language is VS Code's language id when the
 * file is open in an editor (`typescript`), else the file's extension (`ts`): either is accepted.
 */
function fenced(header: string, languages: string[], body: string): RegExp {
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${quote(header)}\\n\`\`\`(?:${languages.map(quote).join('|')})\\n${quote(body)}\\n\`\`\``);
}

describe('attached context: chips, #file, drops, links and Apply in the real workbench', function () {
  // Each case drives several editors, menus and answers; a loaded machine is slow at each.
  this.timeout(240_000);
  let bench: AgentBench;
  /** A folder beside the workspace, holding a text file that must never be attachable. */
  let outsideDir: string;
  /** `../outside.txt` seen from the workspace folder: created for the link case when nobody else has. */
  let outsideLinkTarget: string | undefined;

  before(async function () {
    // Packaging (when the sources changed since dist/rill.vsix) and a cold workbench on a busy
    // machine can take minutes.
    this.timeout(600_000);
    bench = await openAgentBench({
      files: {
        'src/app.ts': APP,
        'src/utils.ts': UTILS,
        'docs/notes.md': NOTES,
        'src/config.ts': CONFIG,
        'big/large.ts': LARGE,
      },
      // Plain text answers (no tools offered), and a small window so a large file must be cut.
      settings: { 'rill.agent.enabled': false, 'rill.contextTokens': WINDOW },
      // A busy machine (other suites running beside) can take a minute to load the workbench.
      loadTimeoutMs: 120_000,
    });
    // The chat in the sidebar, the editor area for files, diffs and links: the panel that
    // openAgentBench opened would be hidden behind every file opened in its group.
    await bench.workbench.runCommand('View: Close Editor');
    await bench.workbench.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached' });
    await bench.workbench.runCommand('Rill: New Chat');
    await bench.workbench.page.locator('.part.sidebar .composite.title', { hasText: /Rill/i }).waitFor();
    writeFileSync(join(bench.folder, 'assets-image.bin'), BINARY);
    outsideDir = mkdtempSync(join(tmpdir(), 'rill-outside-'));
    writeFileSync(join(outsideDir, 'secret.txt'), 'outside the workspace: never attach\n');
    const sibling = join(bench.folder, '..', 'outside.txt');
    if (!existsSync(sibling)) {
      writeFileSync(sibling, 'outside the workspace\n');
      outsideLinkTarget = sibling;
    }
  });

  afterEach(async function () {
    await screenshotOnFailure(this, bench?.workbench, 'context');
  });

  after(async function () {
    await bench?.close();
    if (outsideDir) rmSync(outsideDir, { recursive: true, force: true });
    if (outsideLinkTarget) rmSync(outsideLinkTarget, { force: true });
  });

  const page = () => bench.workbench.page;
  /** The sidebar chat's frame, found again each time: a webview hidden and shown again is a new frame. */
  const chat = (): Promise<Frame> => bench.workbench.webviewFrame(`body[data-place="sidebar"] ${INPUT}`);
  const fileText = (relative: string) => readFileSync(join(bench.folder, relative), 'utf8');

  /** The chat requests the server received from index `from` on. */
  const chatRequests = (from: number): RecordedRequest[] => bench.server.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions'));
  /** The content of the last user message of the one chat request received since `from`. */
  async function sentPrompt(from: number): Promise<{ content: string; request: RecordedRequest }> {
    await eventually(() => chatRequests(from).length, 1);
    const requests = chatRequests(from);
    assert.equal(requests.length, 1, 'one request for the prompt');
    const request = requests[0]!;
    const user = messagesOf(request).filter((m) => m.role === 'user').at(-1);
    return { content: contentText(user?.content), request };
  }

  async function chips(frame: Frame): Promise<Array<{ label: string; title: string; kind: string }>> {
    return frame.$$eval(CHIPS, (els) =>
      els.map((el) => ({
        label: el.querySelector('.context-chip-label')?.textContent ?? '',
        title: el.getAttribute('title') ?? '',
        kind: el.getAttribute('data-kind') ?? '',
      })),
    );
  }
  async function waitForChips(frame: Frame, count: number): Promise<void> {
    try {
      await frame.waitForFunction(([selector, n]) => document.querySelectorAll(selector).length === n, [CHIPS, count] as const, { timeout: 30_000 });
    } catch (error) {
      // Say what every chat shows: the chips may have gone to another chat, or a notice says why none came.
      const shown = await Promise.all(
        (await bench.workbench.webviewFrames('[data-testid="chat-input"]')).map(async (f) => ({
          current: f === frame,
          chips: (await chips(f).catch(() => [])).map((c) => c.label),
          notice: await f.locator('[data-testid="context-notice"]').textContent().catch(() => null),
        })),
      );
      throw new Error(`expected ${count} chip(s); the chats show ${JSON.stringify(shown)}`, { cause: error });
    }
  }

  /** A fresh conversation in the chat (no chips, no earlier turns in the request). */
  async function freshChat(): Promise<Frame> {
    let frame = await chat();
    if ((await frame.$$eval('[data-testid="message"]', (els) => els.length)) > 0) {
      // The sidebar shows New Chat in its title bar, not in the webview's session bar.
      await bench.workbench.runCommand('Rill: New Chat');
      frame = await chat();
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 0);
    }
    await waitForChips(frame, 0);
    return frame;
  }

  /** Opens a workspace file in the editor through Quick Open. */
  async function openFile(relative: string): Promise<void> {
    const name = relative.split('/').pop()!;
    await bench.workbench.runCommand('Go to File...');
    const input = page().locator('.quick-input-widget input');
    await input.fill(relative);
    // Enter opens the focused row: wait until the filtered list has put the file there (until the
    // typed text is applied, the recently opened files are listed, another one first).
    await page().locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor();
    await input.press('Enter');
    await page().locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor();
    await page().locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
  }

  /** The active editor's tab title and the status bar's cursor position ("Ln 3, Col 1"). */
  async function cursor(): Promise<{ tab: string; position: string }> {
    // The tab's accessible name starts with the file's name ("app.ts, preview"...).
    const tab = ((await page().locator('.editor-group-container.active .tab.active').first().getAttribute('aria-label')) ?? '').split(',')[0] ?? '';
    const position = (await page().locator('[id="status.editor.selection"]').first().textContent()) ?? '';
    return { tab: tab.trim(), position: position.trim() };
  }

  /** Clicks an item of the open context menu (they ignore a click that comes too soon after opening). */
  async function contextMenuItem(label: string): Promise<void> {
    const item = page().locator('.context-view .action-label', { hasText: label }).first();
    await item.waitFor();
    await item.hover();
    await new Promise((r) => setTimeout(r, 300));
    await item.click();
  }

  /** Runs Add File to Chat from the Explorer's context menu on `name`, a file in src/. */
  async function addFromExplorer(name: string): Promise<void> {
    await bench.workbench.runCommand('View: Show Explorer');
    const rows = page().locator('.explorer-folders-view .monaco-list-row');
    const row = rows.filter({ hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }).first();
    const folder = rows.filter({ hasText: /^src$/ }).first();
    await folder.waitFor();
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    await row.waitFor();
    await row.click({ button: 'right' });
    await contextMenuItem('Add File to Chat');
  }

  /**
   * Drops `uris` on the composer as VS Code's Explorer would, as `type`. A real OS drag into a
   * webview's nested iframe cannot be driven from Playwright, so this dispatches the same DOM
   * events (dragenter, dragover, drop) with a synthetic DataTransfer inside the webview's frame.
   */
  async function dropOnComposer(frame: Frame, uris: string[], type = 'text/uri-list'): Promise<void> {
    await frame.evaluate(
      ([list, mime]) => {
        const target = document.querySelector('[data-testid="chat-input"]')!;
        const transfer = new DataTransfer();
        transfer.setData(mime, mime === 'resourceurls' ? JSON.stringify(list) : list.join('\r\n'));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
      },
      [uris, type] as const,
    );
  }

  it('Add File to Chat from the palette: a chip, and the request carries the path, the exact content and the question', async function () {
    await freshChat();
    await openFile('src/app.ts');
    await bench.workbench.runCommand('Rill: Add File to Chat');
    let frame = await chat();
    await waitForChips(frame, 1);
    assert.deepEqual(
      (await chips(frame)).map((c) => [c.label, c.kind]),
      [['app.ts', 'file']],
    );
    assert.match((await chips(frame))[0]!.title, /src\/app\.ts/, 'the chip names the workspace-relative path');
    // The command shows and focuses the chat it attached to (the sidebar's, the only one).
    await page().locator('.part.sidebar .composite.title', { hasText: /Rill/i }).waitFor({ timeout: 5_000 });
    assert.equal(await frame.evaluate(() => document.hasFocus()), true, 'the chat has focus');

    const from = bench.server.requests.length;
    bench.server.enqueue(chatStream({ text: 'It greets by name.' }));
    frame = await chat();
    const question = 'What does greet return?';
    const n = await send(frame, question);
    await waitForAnswer(frame, n, 'done');
    const { content } = await sentPrompt(from);
    assert.ok(content.startsWith(INTRO), `the attachments come first: ${content.slice(0, 200)}`);
    assert.match(content, fenced('src/app.ts (lines 1-6, file):', TS, APP.slice(0, -1)), "the file's exact content in a fenced block with its path and lines");
    assert.ok(content.endsWith(`\n\n${question}`), `the typed question follows the attachments: ${content.slice(-200)}`);
    assert.equal(content.split(APP.split('\n')[1]!).length, 2, 'the file is sent once');

    // The sent message shows the chip and the typed text, not the pasted file.
    const user = await frame.$$eval(USER_MESSAGES, (els) => {
      const el = els.at(-1)!;
      return {
        body: el.querySelector('[data-testid="message-body"]')?.textContent ?? '',
        chips: [...el.querySelectorAll('[data-testid="context-chip"]')].map((c) => c.textContent?.trim() ?? ''),
        text: el.textContent ?? '',
      };
    });
    assert.deepEqual(user.chips, ['app.ts']);
    assert.equal(user.body.trim(), question);
    assert.ok(!user.text.includes('app-line-2') && !user.text.includes('```'), `no pasted text in the message: ${user.text}`);
    assert.equal((await chips(frame)).length, 0, 'the composer chips went with the prompt');
    assert.equal((await answer(frame, n)).text.trim(), 'It greets by name.');
  });

  it("Add Selection to Chat from the editor's context menu sends only the selected lines, with their range", async function () {
    await freshChat();
    await openFile('src/app.ts');
    const editor = page().locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.click();
    await page().keyboard.press('Control+Home');
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Shift+ArrowDown');
    await page().keyboard.press('Shift+End');
    // The status bar shows the selection once the editor has it (it lags the keys a little).
    await page().waitForFunction(() => /Ln 3, Col \d+ \(\d+ selected\)/.test(document.getElementById('status.editor.selection')?.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    await editor.click({ button: 'right', position: { x: 60, y: 30 } });
    await contextMenuItem('Add Selection to Chat');

    let frame = await chat();
    await waitForChips(frame, 1);
    assert.deepEqual(
      (await chips(frame)).map((c) => [c.label, c.kind]),
      [['app.ts:2-3', 'selection']],
    );

    const from = bench.server.requests.length;
    bench.server.enqueue(chatStream({ text: 'It builds and returns the greeting.' }));
    frame = await chat();
    const n = await send(frame, 'Explain these lines');
    await waitForAnswer(frame, n, 'done');
    const { content } = await sentPrompt(from);
    const lines = APP.split('\n');
    assert.match(content, fenced('src/app.ts (lines 2-3, selection):', TS, `${lines[1]}\n${lines[2]}`), 'the selected lines with their range');
    for (const other of [lines[0]!, lines[5]!]) assert.ok(!content.includes(other), `a line outside the selection was sent: ${other}`);
    assert.ok(content.endsWith('\n\nExplain these lines'), content);
  });

  it('#file completion: #fi, choose #file, type part of a name, pick it: a chip, no token left, the file sent', async function () {
    let frame = await freshChat();
    const input = frame.locator('[data-testid="chat-input"]');
    await input.click();
    await input.pressSequentially('Explain #fi');
    const popup = frame.locator('[data-testid="mention-popup"]');
    await popup.waitFor({ state: 'visible' });
    const offered = await frame.$$eval('[data-testid="mention-option"]', (els) => els.map((el) => el.getAttribute('data-value')));
    assert.deepEqual(offered, ['#file']);
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'Explain #file:', 'choosing #file leaves `#file:` to complete');
    await input.pressSequentially('util');
    const option = frame.locator('[data-testid="mention-option"][data-value="src/utils.ts"]');
    await option.waitFor({ state: 'visible' });
    assert.equal(await frame.locator('[data-testid="mention-option"][data-value="src/app.ts"]').count(), 0, 'only files matching "util" are listed');
    // Arrow to the option when it is not the active one, then accept with Enter.
    for (let i = 0; i < 20 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await input.press('ArrowDown');
    await input.press('Enter');

    await waitForChips(frame, 1);
    assert.deepEqual(
      (await chips(frame)).map((c) => [c.label, c.kind]),
      [['utils.ts', 'file']],
    );
    assert.equal(await popup.isVisible(), false, 'the popup closed');
    const left = await input.inputValue();
    assert.ok(!left.includes('#file') && !left.includes('util'), `the #file: token is gone from the input: "${left}"`);
    assert.equal(left.trim(), 'Explain', 'the rest of the typed text stays');

    const from = bench.server.requests.length;
    bench.server.enqueue(chatStream({ text: 'It doubles numbers.' }));
    await input.pressSequentially('what utils exports');
    frame = await chat();
    await frame.locator('[data-testid="chat-input"]').press('Enter');
    const { content } = await sentPrompt(from);
    await waitForAnswer(frame, 0, 'done');
    assert.match(content, fenced('src/utils.ts (lines 1-2, file):', TS, UTILS.slice(0, -1)));
    assert.ok(content.endsWith('\n\nExplain what utils exports'), `the typed text without the token: ${content.slice(-100)}`);
  });

  it('a dropped workspace file becomes a chip and reaches the server; a binary file and a file outside the workspace are refused', async function () {
    const frame = await freshChat();
    const notice = frame.locator('[data-testid="context-notice"]');

    // Refused first, so a chip could not be mistaken for the one the good drop makes.
    // Each of the three formats VS Code's drags carry, each proven read by the name it yields.
    await dropOnComposer(frame, [pathToFileURL(join(bench.folder, 'assets-image.bin')).href], 'resourceurls');
    await frame.waitForFunction(() => (document.querySelector('[data-testid="context-notice"]')?.textContent ?? '') !== '');
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.match((await notice.textContent()) ?? '', /assets-image\.bin.*binary/i);
    assert.equal((await chips(frame)).length, 0, 'no chip for a binary file');

    await dropOnComposer(frame, [pathToFileURL(join(outsideDir, 'secret.txt')).href], 'application/vnd.code.uri-list');
    await frame.waitForFunction(() => /secret\.txt/.test(document.querySelector('[data-testid="context-notice"]')?.textContent ?? ''));
    assert.match((await notice.textContent()) ?? '', /secret\.txt.*outside the workspace/i);
    assert.equal((await chips(frame)).length, 0, 'no chip for a file outside the workspace');

    await dropOnComposer(frame, [pathToFileURL(join(bench.folder, 'docs', 'notes.md')).href]);
    await waitForChips(frame, 1);
    assert.deepEqual(
      (await chips(frame)).map((c) => [c.label, c.kind]),
      [['notes.md', 'file']],
    );

    const from = bench.server.requests.length;
    bench.server.enqueue(chatStream({ text: 'The marker is 5521.' }));
    const n = await send(frame, 'What is the drop marker?');
    await waitForAnswer(frame, n, 'done');
    const { content } = await sentPrompt(from);
    assert.match(content, fenced('docs/notes.md (lines 1-3, file):', ['markdown', 'md'], NOTES.slice(0, -1)));
    assert.ok(!content.includes('never attach') && !content.includes('assets-image'), `nothing refused was sent: ${content}`);
    assert.ok(content.endsWith('\n\nWhat is the drop marker?'), content);
  });

  it('links and path:line mentions in an answer open the file at that line; ../outside.txt and a missing file stay text', async function () {
    let frame = await freshChat();
    const reply = [
      'See [the app](src/app.ts#L2) and src/app.ts:3 for the greeting.',
      '',
      'Not these: [x](../outside.txt) and [gone](src/missing.ts).',
    ].join('\n');
    bench.server.enqueue(chatStream({ text: reply }));
    const n = await send(frame, 'Where is the greeting built?');
    await waitForAnswer(frame, n, 'done');
    const links = frame.locator(`${ANSWERS} >> nth=${n} >> [data-testid="file-link"]`);
    await frame.waitForFunction(
      ([selector, i]) => document.querySelectorAll(selector)[i]?.querySelectorAll('[data-testid="file-link"]').length === 2,
      [ANSWERS, n] as const,
      { timeout: 10_000 },
    );
    assert.deepEqual((await links.allTextContents()).map((t) => t.trim()), ['the app', 'src/app.ts:3']);
    // The inert ones are text: no link, no href, and their words are still shown.
    // (No named inner functions in page code: tsx would wrap them in a helper the page lacks.)
    const inert = await frame.$$eval(
      ANSWERS,
      (els, i) => {
        const body = els[i]!.querySelector('[data-testid="message-body"]')!;
        const anchors = [...body.querySelectorAll('a')]
          .filter((a) => ['x', 'gone'].includes(a.textContent?.trim() ?? ''))
          .map((a) => ({ text: a.textContent?.trim(), href: a.getAttribute('href'), testid: a.getAttribute('data-testid') }));
        return { text: body.textContent ?? '', anchors };
      },
      n,
    );
    assert.match(inert.text, /Not these: x and gone\./, 'the inert links keep their words');
    for (const anchor of inert.anchors) {
      assert.equal(anchor.testid, null, `${anchor.text} is not a file link`);
      assert.equal(anchor.href, null, `${anchor.text} has no href`);
    }

    await links.nth(0).click();
    await page().waitForFunction(() => /Ln 2, Col 1/.test(document.getElementById('status.editor.selection')?.textContent ?? ''), undefined, { timeout: 10_000 });
    assert.deepEqual(await cursor(), { tab: 'app.ts', position: 'Ln 2, Col 1' });

    frame = await chat();
    await frame.locator(`${ANSWERS} >> nth=${n} >> [data-testid="file-link"] >> nth=1`).click();
    await page().waitForFunction(() => /Ln 3, Col 1/.test(document.getElementById('status.editor.selection')?.textContent ?? ''), undefined, { timeout: 10_000 });
    assert.deepEqual(await cursor(), { tab: 'app.ts', position: 'Ln 3, Col 1' });
    assert.equal(await page().locator('.tab', { hasText: /outside\.txt|missing\.ts/ }).count(), 0, 'nothing else opened');
  });

  it('Apply to file: Discard leaves the file byte-identical, Accept writes exactly the code, a new file exists only after Accept', async function () {
    const before = readFileSync(join(bench.folder, 'src', 'config.ts'));
    let frame = await freshChat();
    bench.server.enqueue(chatStream({ text: `Raise the retries:\n\n\`\`\`ts src/config.ts\n${CONFIG_NEW}\n\`\`\`\n` }));
    const n = await send(frame, 'Make config retry more');
    await waitForAnswer(frame, n, 'done');
    const apply = () => frame.locator(`${ANSWERS} >> nth=${n} >> [data-testid="apply-code"]`);
    assert.equal(await apply().count(), 1);
    const diffTab = page().locator('.tab', { hasText: 'proposed by Rill' });
    const question = page().locator('.notification-toast', { hasText: 'Rill: apply this change to src/config.ts?' });

    // Discard from the notification.
    await apply().click();
    await diffTab.first().waitFor({ timeout: 10_000 });
    assert.match((await diffTab.first().textContent()) ?? '', /config\.ts \(change proposed by Rill\)/);
    await question.first().waitFor({ timeout: 10_000 });
    assert.ok(readFileSync(join(bench.folder, 'src', 'config.ts')).equals(before), 'nothing is written while the diff waits');
    await question.first().locator('.monaco-button', { hasText: /^Discard$/ }).click();
    await diffTab.first().waitFor({ state: 'detached', timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(readFileSync(join(bench.folder, 'src', 'config.ts')).equals(before), 'Discard leaves the file byte-identical');

    // Accept from the diff editor's title bar.
    frame = await chat();
    await apply().click();
    await diffTab.first().waitFor({ timeout: 10_000 });
    assert.equal(fileText('src/config.ts'), CONFIG);
    await page().locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Accept Proposed Change"]').click();
    const want = `${CONFIG_NEW}\n`;
    assert.equal(await eventually(() => fileText('src/config.ts'), want), want, 'exactly the code, with the file’s final newline');
    await diffTab.first().waitFor({ state: 'detached', timeout: 10_000 });

    // A new file: only the diff until Accept.
    frame = await chat();
    const m = (await frame.$$eval(ANSWERS, (els) => els.length)) as number;
    bench.server.enqueue(chatStream({ text: `A new module:\n\n\`\`\`ts src/extra/created.ts\n${CREATED}\n\`\`\`\n` }));
    await send(frame, 'Add a module');
    await waitForAnswer(frame, m, 'done');
    await frame.locator(`${ANSWERS} >> nth=${m} >> [data-testid="apply-code"]`).click();
    await diffTab.first().waitFor({ timeout: 10_000 });
    assert.match((await diffTab.first().textContent()) ?? '', /created\.ts \(new file, proposed by Rill\)/);
    const created = join(bench.folder, 'src', 'extra', 'created.ts');
    assert.equal(existsSync(created), false, 'the file is not created before Accept');
    await page()
      .locator('.notification-toast', { hasText: 'Rill: apply this change to src/extra/created.ts?' })
      .first()
      .locator('.monaco-button', { hasText: /^Accept$/ })
      .click();
    assert.equal(await eventually(() => (existsSync(created) ? readFileSync(created, 'utf8') : ''), `${CREATED}\n`), `${CREATED}\n`);
    assert.equal(fileText('src/config.ts'), want, 'the accepted change stays');
  });

  it('chips added from the Add Context button and the Explorer, then removed, are not sent: only the typed text is', async function () {
    let frame = await freshChat();
    await openFile('src/app.ts');
    frame = await chat();
    // The composer's Add Context button opens the host's quick pick.
    await frame.click('[data-testid="add-context"]');
    const rows = page().locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    const offered = (await rows.locator('.label-name').allTextContents()).map((t) => t.trim());
    for (const want of [/^Active file$/, /^Selection$/, /^Files and folders…$/, /^Problems/]) {
      assert.ok(offered.some((label) => want.test(label)), `the quick pick offers ${want}: ${JSON.stringify(offered)}`);
    }
    await rows.filter({ hasText: 'Active file' }).first().click();
    frame = await chat();
    await waitForChips(frame, 1);

    // The Explorer's context menu on a file attaches that file (not the active editor's).
    await addFromExplorer('utils.ts');
    frame = await chat();
    await waitForChips(frame, 2);
    assert.deepEqual(
      (await chips(frame)).map((c) => [c.label, c.kind]),
      [
        ['app.ts', 'file'],
        ['utils.ts', 'file'],
      ],
    );

    // Each remove button takes its own chip.
    await frame.click(`${CHIPS} >> nth=0 >> [data-testid="context-chip-remove"]`);
    await waitForChips(frame, 1);
    assert.deepEqual((await chips(frame)).map((c) => c.label), ['utils.ts'], 'the other chip stays');
    await frame.click(`${CHIPS} >> nth=0 >> [data-testid="context-chip-remove"]`);
    await waitForChips(frame, 0);

    const from = bench.server.requests.length;
    bench.server.enqueue(chatStream({ text: 'Nothing attached.' }));
    const n = await send(frame, 'Is anything attached?');
    await waitForAnswer(frame, n, 'done');
    const { content } = await sentPrompt(from);
    assert.equal(content, 'Is anything attached?', 'the typed text only, no attachment');
    const shown = await frame.$$eval(USER_MESSAGES, (els) => els.at(-1)!.querySelectorAll('[data-testid="context-chip"]').length);
    assert.equal(shown, 0, 'the sent message shows no chip');
    assert.equal((await answer(frame, n)).text.trim(), 'Nothing attached.');
  });

  it('a file too large for the window is cut at whole lines, the answer says so, and the request fits', async function () {
    const frame = await freshChat();
    const from = bench.server.requests.length;
    bench.server.enqueue(chatStream({ text: 'It declares many rows.' }));
    // Typed in full, resolved by the host at send (the caret is past the token: no popup).
    const question = '#file:big/large.ts how many rows are there?';
    const n = await send(frame, question);
    await waitForAnswer(frame, n, 'done');
    const { content, request } = await sentPrompt(from);

    assert.ok(content.endsWith(`\n\n${question}`), `the typed text is sent whole: ${content.slice(-200)}`);
    assert.ok(content.includes(LARGE_LINES[0]!) && content.includes(LARGE_LINES[1]!), 'the first lines are sent');
    assert.ok(!content.includes(LARGE_LINES[399]!) && !content.includes(LARGE_LINES[300]!), 'the last lines are not');
    const header = /big\/large\.ts \(lines 1-(\d+) of 400, file\):\n```(?:typescript|ts)\n/.exec(content);
    assert.ok(header, `a header with the lines kept: ${content.slice(0, 300)}`);
    const kept = Number(header[1]);
    assert.ok(kept > 1 && kept < 400, `kept ${kept} lines`);
    // Whole lines: the block holds exactly lines 1..kept, then the note names the rest.
    const body = content.slice(header.index + header[0].length, content.indexOf('\n```', header.index + header[0].length));
    assert.equal(body, LARGE_LINES.slice(0, kept).join('\n'));
    assert.ok(content.includes(`(Lines ${kept + 1}-400 were left out of big/large.ts to fit the model's context window.)`), content.slice(-400));

    const counter = lazyTokenCounter('rill-e2e');
    await counter.ready;
    const tokens = counter.countMessages(messagesOf(request) as Parameters<typeof counter.countMessages>[0]);
    assert.ok(tokens <= WINDOW - WINDOW / 4, `the request (${tokens} tokens) leaves the answer its reserve in a ${WINDOW}-token window`);

    const note = frame.locator(`${ANSWERS} >> nth=${n} >> [data-testid="context-left-out"]`);
    await note.waitFor();
    assert.equal(((await note.textContent()) ?? '').trim(), `Left out to fit the context window: large.ts lines ${kept + 1}-400 of 400`);
    assert.equal((await answer(frame, n)).text.trim(), 'It declares many rows.');
  });

  it('the command attaches to the chat used last: the sidebar a prompt was just sent from, not a panel opened before', async function () {
    let sidebar = await freshChat();
    // A chat panel, opened (and so shown) after the sidebar...
    await bench.workbench.runCommand('Rill: Open Chat');
    const panelInput = `body[data-place="panel"] ${INPUT}`;
    await bench.workbench.webviewFrame(panelInput);
    // ...then the user goes back to the sidebar's chat and asks there.
    sidebar = await chat();
    bench.server.enqueue(chatStream({ text: 'Noted.' }));
    const n = await send(sidebar, 'I am working in the sidebar');
    await waitForAnswer(sidebar, n, 'done');

    await addFromExplorer('utils.ts');
    // Wherever the chip went, say where: a chat shown last is not the chat used last.
    const where = async () =>
      Promise.all(
        (await bench.workbench.webviewFrames(INPUT)).map(async (f) => ({
          place: await f.evaluate(() => document.body.dataset.place),
          chips: (await chips(f).catch(() => [])).map((c) => c.label),
        })),
      );
    const deadline = Date.now() + 30_000;
    let shown = await where();
    while (!shown.some((chat) => chat.chips.length > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      shown = await where();
    }
    assert.deepEqual(
      shown.filter((chat) => chat.chips.length > 0),
      [{ place: 'sidebar', chips: ['utils.ts'] }],
      `the file goes to the sidebar's chat, where the prompt was sent, and nowhere else; the chats show ${JSON.stringify(shown)}`,
    );
    // ...and the command brought that chat back in place of the Explorer.
    await page().locator('.part.sidebar .composite.title', { hasText: /Rill/i }).waitFor({ timeout: 5_000 });
    await bench.workbench.runCommand('View: Close All Editors');
  });
});
