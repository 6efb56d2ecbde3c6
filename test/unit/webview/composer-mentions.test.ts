import { strict as assert } from 'node:assert';
import { composerHarness, wait } from './composer-harness';

describe('Composer # completion (jsdom): #file, #selection, #problems and workspace files', () => {
  const h = composerHarness();
  const { deliver, q, all, input, popup, options, posted, type, key } = h;

  it('offers #file, #selection and #problems, filtered by what is typed', () => {
    type('look at #');
    assert.equal(popup().hidden, false);
    assert.equal(popup().getAttribute('role'), 'listbox');
    assert.deepEqual(options(), ['#file', '#selection', '#problems']);
    assert.ok(all('[data-testid="mention-option"]').every((o) => o.getAttribute('role') === 'option' && o.querySelector('.mention-detail')?.textContent));
    const box = input();
    assert.equal(box.getAttribute('aria-controls'), popup().id);
    assert.equal(box.getAttribute('aria-autocomplete'), 'list');
    assert.equal(box.getAttribute('aria-activedescendant'), all('[data-testid="mention-option"]')[0]?.id);
    type('look at #pr');
    assert.deepEqual(options(), ['#problems']);
    type('look at #x');
    assert.equal(popup().hidden, true);
    type('C#');
    assert.equal(popup().hidden, true, 'a # inside a word is no mention');
  });

  it('Enter accepts #selection: the token goes, the text around it stays, the host attaches it', () => {
    type('explain #se now', 'explain #se'.length);
    assert.deepEqual(options(), ['#selection']);
    assert.equal(key('Enter').defaultPrevented, true);
    assert.deepEqual(h.env.host.posted.at(-1), { type: 'addContext', what: 'selection' });
    assert.equal(input().value, 'explain now');
    assert.equal(posted('send').length, 0);
    assert.equal(popup().hidden, true);
    assert.equal(input().hasAttribute('aria-activedescendant'), false);
  });

  it('ArrowDown then Tab accepts #problems as the workspace’s problems', () => {
    type('#');
    key('ArrowDown');
    key('ArrowDown');
    assert.equal(input().getAttribute('aria-activedescendant'), all('[data-testid="mention-option"]')[2]?.id);
    assert.equal(all('[aria-selected="true"]')[0]?.dataset.value, '#problems');
    key('ArrowUp');
    key('ArrowDown');
    key('Tab');
    assert.deepEqual(h.env.host.posted.at(-1), { type: 'addContext', what: 'workspaceProblems' });
    assert.equal(input().value, '');
  });

  it('Escape closes the popup and neither stops the stream nor reopens it while typing on', () => {
    deliver({ type: 'messageAdded', message: { id: 'm1', role: 'assistant', text: '', state: 'streaming' } });
    type('#');
    assert.equal(key('Escape').defaultPrevented, true);
    assert.equal(popup().hidden, true);
    assert.equal(posted('stop').length, 0, 'Escape in the popup must not stop the answer');
    type('#s');
    assert.equal(popup().hidden, true, 'dismissed for this token');
    key('Escape');
    assert.equal(posted('stop').length, 1, 'with the popup closed, Escape stops as before');
  });

  it('Enter never sends while the popup is open, and sends normally once it is closed', () => {
    type('hi #file:zz');
    assert.equal(popup().hidden, true, 'no files yet');
    assert.equal(q('[data-testid="mention-hint"]').hidden, false, 'says it is searching');
    key('Enter');
    assert.equal(posted('send').length, 0);
    assert.equal(q('[data-testid="mention-hint"]').hidden, true, 'Enter closed it');
    key('Enter');
    const sent = posted('send');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.type === 'send' && sent[0].text, 'hi #file:zz', 'a mention typed in full stays for the host to resolve');
  });

  it('never takes keys while an input method is composing', () => {
    type('#');
    key('Enter', { isComposing: true });
    key('ArrowDown', { keyCode: 229 });
    assert.equal(input().value, '#');
    assert.equal(popup().hidden, false);
    assert.equal(all('[aria-selected="true"]')[0]?.dataset.value, '#file');
    assert.equal(h.env.host.posted.filter((m) => m.type !== 'ready' && m.type !== 'draft').length, 0);
  });

  it('#file asks the host for files as the user types, shows the answer to the latest query, and attaches the one chosen', async () => {
    type('see #fi');
    key('Enter');
    assert.equal(input().value, 'see #file:');
    assert.equal(input().selectionStart, 'see #file:'.length);
    await wait(150);
    assert.deepEqual(posted('suggestFiles').at(-1), { type: 'suggestFiles', query: '' });
    type('see #file:s');
    await wait(30);
    type('see #file:sr');
    await wait(30);
    type('see #file:src');
    await wait(150);
    assert.deepEqual(
      posted('suggestFiles').map((m) => m.type === 'suggestFiles' && m.query),
      ['', 'src'],
      'debounced: one request for a burst of typing',
    );
    deliver({ type: 'fileSuggestions', query: 'sr', files: ['src/stale.ts'] });
    assert.equal(options().length, 0, 'an answer to an earlier query is ignored');
    deliver({ type: 'fileSuggestions', query: 'src', files: ['src/a.ts', 'src/deep/b.ts'] });
    assert.deepEqual(options(), ['src/a.ts', 'src/deep/b.ts']);
    const second = all('[data-testid="mention-option"]')[1];
    assert.equal(second?.querySelector('.mention-name')?.textContent, 'b.ts', 'the file name stands out');
    assert.equal(second?.querySelector('.mention-detail')?.textContent, 'src/deep');
    key('ArrowDown');
    key('Enter');
    assert.deepEqual(h.env.host.posted.at(-1), { type: 'attachPaths', paths: ['src/deep/b.ts'] });
    assert.equal(input().value, 'see ');
    assert.equal(popup().hidden, true);
    assert.equal(posted('send').length, 0);
  });

  it('a click on an option accepts it', () => {
    type('#');
    all('[data-testid="mention-option"]')[1]?.dispatchEvent(new h.env.window.MouseEvent('click', { bubbles: true }));
    assert.deepEqual(h.env.host.posted.at(-1), { type: 'addContext', what: 'selection' });
  });
});
