import { strict as assert } from 'node:assert';
import { composerHarness, file, problems, selection } from './composer-harness';

describe('Composer context (jsdom): chips, Add Context, drops, notices', () => {
  const h = composerHarness();
  const { snapshot, deliver, q, all, input, posted, type, key } = h;

  describe('chips', () => {
    it('shows one chip per attachment from the snapshot, hidden when there are none', () => {
      assert.equal(q('[data-testid="context-chips"]').hidden, true, 'no attachments: no chips area');
      snapshot([file, selection, problems]);
      const list = q('[data-testid="context-chips"]');
      assert.equal(list.hidden, false);
      assert.equal(list.getAttribute('role'), 'list');
      assert.ok(list.getAttribute('aria-label'));
      const chips = all('[data-testid="context-chip"]');
      assert.deepEqual(
        chips.map((c) => c.querySelector('.context-chip-label')?.textContent),
        ['a.ts', 'b.ts:10-20', 'Problems (workspace)'],
      );
      assert.deepEqual(
        chips.map((c) => c.querySelector('.codicon')?.className),
        ['codicon codicon-file', 'codicon codicon-symbol-text', 'codicon codicon-warning'],
      );
      assert.equal(chips[0]?.title, 'File src/util/a.ts', 'the full relative path in the tooltip');
      assert.equal(chips[1]?.getAttribute('aria-label'), 'src/b.ts, lines 10 to 20');
      assert.ok(chips.every((c) => c.getAttribute('role') === 'listitem'));
      assert.equal(chips[0]?.querySelector('[data-testid="context-chip-remove"]')?.getAttribute('aria-label'), 'Remove a.ts');
    });

    it('follows the host’s `context` messages, and the remove button asks the host to remove', () => {
      deliver({ type: 'context', attachments: [file, { id: 'a4', kind: 'problems', path: 'src/c.ts' }] });
      assert.equal(all('[data-testid="context-chip"]').length, 2);
      assert.equal(all('.context-chip-label')[1]?.textContent, 'Problems: c.ts');
      (all('[data-testid="context-chip-remove"]')[0] as HTMLButtonElement).click();
      assert.deepEqual(h.env.host.posted.at(-1), { type: 'removeContext', id: 'a1' });
      assert.equal(all('[data-testid="context-chip"]').length, 1, 'gone at once');
      deliver({ type: 'context', attachments: [] });
      assert.equal(q('[data-testid="context-chips"]').hidden, true);
    });

    it('moves focus to the next chip’s remove button, then back to the prompt box', () => {
      snapshot([file, selection]);
      const first = all('[data-testid="context-chip-remove"]')[0] as HTMLButtonElement;
      first.focus();
      first.click();
      const next = all('[data-testid="context-chip-remove"]')[0];
      assert.equal(next?.closest<HTMLElement>('[data-testid="context-chip"]')?.dataset.id, 'a2');
      assert.equal(document.activeElement, next);
      deliver({ type: 'context', attachments: [selection] }); // the host confirms: focus stays
      assert.equal(document.activeElement, all('[data-testid="context-chip-remove"]')[0]);
      (document.activeElement as HTMLButtonElement).click();
      assert.equal(document.activeElement, input());
    });

    it('Backspace in an empty prompt box removes the last chip, and only then', () => {
      snapshot([file, selection]);
      type('text');
      key('Backspace');
      assert.equal(posted('removeContext').length, 0, 'text to delete first');
      type('');
      assert.equal(key('Backspace').defaultPrevented, true);
      assert.deepEqual(h.env.host.posted.at(-1), { type: 'removeContext', id: 'a2' });
      assert.equal(all('[data-testid="context-chip"]').length, 1);
    });
  });

  it('Add Context asks the host for its menu, and comes after Send in Tab order (the prompt box still Tabs to the tools switch)', () => {
    const add = q('[data-testid="add-context"]') as HTMLButtonElement;
    assert.equal(add.getAttribute('aria-label'), 'Add Context');
    assert.match(add.title, /Shift/, 'the tooltip says how to drop files into a webview');
    add.click();
    assert.deepEqual(h.env.host.posted.at(-1), { type: 'addContext', what: 'menu' });
    const order = all('[data-testid="chat-input"], .composer button:not([hidden])').map((el) => el.dataset.testid);
    assert.deepEqual(order.slice(order.indexOf('chat-input'), order.indexOf('chat-input') + 4), ['chat-input', 'tools-toggle', 'send', 'add-context']);
  });

  describe('drops', () => {
    const drag = (name: string, data: Record<string, string>, types = Object.keys(data)) => {
      const event = new h.env.window.Event(name, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', { value: { types, getData: (t: string) => data[t] ?? '', dropEffect: 'none' } });
      input().dispatchEvent(event);
      return event;
    };

    it('attaches the files of a uri-list dropped on the chat, highlighted while dragged over', () => {
      const data = { 'text/uri-list': '# from the Explorer\r\nfile:///w/src/a.ts\r\nfile:///w/src/b.ts\r\n' };
      drag('dragenter', data);
      assert.equal(drag('dragover', data).defaultPrevented, true, 'the drop is allowed');
      assert.equal(q('[data-testid="drop-target"]').hidden, false);
      assert.equal(drag('drop', data).defaultPrevented, true);
      assert.deepEqual(h.env.host.posted.at(-1), { type: 'attachPaths', paths: ['file:///w/src/a.ts', 'file:///w/src/b.ts'] });
      assert.equal(q('[data-testid="drop-target"]').hidden, true);
    });

    it('reads VS Code’s resourceurls and plain-text file URIs, caps the count, and leaves other text alone', () => {
      const many = Array.from({ length: 250 }, (_, i) => `file:///w/f${i}.ts`);
      drag('drop', { resourceurls: JSON.stringify(many) });
      const last = h.env.host.posted.at(-1);
      assert.equal(last?.type === 'attachPaths' && last.paths.length, 200);
      drag('drop', { 'text/plain': 'file:///w/notes.md' });
      assert.deepEqual(h.env.host.posted.at(-1), { type: 'attachPaths', paths: ['file:///w/notes.md'] });
      const before = h.env.host.posted.length;
      assert.equal(drag('drop', { 'text/plain': 'just some text' }).defaultPrevented, false, 'the prompt box inserts it');
      assert.equal(h.env.host.posted.length, before);
    });
  });

  describe('notices', () => {
    it('says what could not be attached in a status region, until dismissed', () => {
      deliver({ type: 'contextNotice', message: 'Binary files cannot be attached: logo.png' });
      const notice = q('[data-testid="context-notice"]');
      assert.equal(notice.getAttribute('role'), 'status');
      assert.equal(notice.textContent, 'Binary files cannot be attached: logo.png');
      const dismiss = q('[data-testid="context-notice-dismiss"]') as HTMLButtonElement;
      assert.equal(dismiss.hidden, false);
      dismiss.click();
      assert.equal(notice.textContent, '');
      assert.equal(dismiss.hidden, true);
    });

    it('outlives the change it came with, and is cleared by the next change the user asks for', () => {
      q('[data-testid="add-context"]').click();
      deliver({ type: 'contextNotice', message: 'outside the workspace' });
      deliver({ type: 'context', attachments: [file] }); // the same request: what could be attached
      assert.equal(q('[data-testid="context-notice"]').textContent, 'outside the workspace');
      q('[data-testid="add-context"]').click();
      deliver({ type: 'context', attachments: [file, selection] });
      assert.equal(q('[data-testid="context-notice"]').textContent, '');
    });
  });

  it('passes axe with chips, a notice and the open popup (no aria-expanded: a textarea is a textbox)', async () => {
    snapshot([file, problems]);
    deliver({ type: 'contextNotice', message: 'outside the workspace' });
    type('#');
    const win = h.env.window as unknown as { axe?: { run(context: Element, options: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } };
    if (!win.axe) h.env.window.eval((await import('node:fs')).readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    // jsdom lays nothing out, so colours cannot be judged here (the e2e run checks them).
    const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] }, rules: { 'color-contrast': { enabled: false } } };
    const result = await win.axe!.run(h.env.root, options);
    assert.deepEqual(result.violations.map((v) => `${v.id} ×${v.nodes.length}`), []);
    input().setAttribute('aria-expanded', 'true');
    const invalid = await win.axe!.run(h.env.root, options);
    assert.deepEqual(invalid.violations.map((v) => v.id), ['aria-allowed-attr'], 'axe can fail here');
  });

  it('has Japanese for every string it shows', async () => {
    const l10n = await import('@vscode/l10n');
    const { strings } = await import('../../../src/webview/strings');
    const { readFileSync } = await import('node:fs');
    const s = () => strings.composerContext;
    const shown = () => [
      ...[s().chips, s().workspaceProblems, s().problemsInWorkspace, s().add, s().addTooltip, s().suggestions],
      ...[s().mentionFile, s().mentionSelection, s().mentionProblems, s().searchingFiles, s().noFiles, s().dismiss, s().dropHere, s().dropUnreadable],
      ...[s().remove('x'), s().problemsOf('x'), s().file('x'), s().folder('x'), s().lines('x', 1, 2), s().line('x', 1), s().problemsIn('x')],
    ];
    const english = shown();
    l10n.config({ contents: JSON.parse(readFileSync('l10n/bundle.l10n.ja.json', 'utf8')) as Record<string, string> });
    try {
      const japanese = shown();
      english.forEach((en, i) => assert.notEqual(japanese[i], en, `no Japanese for: ${en}`));
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
