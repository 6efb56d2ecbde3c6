import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const manifest = JSON.parse(read('package.json')) as {
  contributes: { commands: Array<{ command: string; title: string; category?: string; icon?: string }> };
};
const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;
const nlsJa = JSON.parse(read('package.nls.ja.json')) as Record<string, string>;

function sources(dir: string): string {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('the extension manifest', () => {
  const extensionSource = sources('src/extension');

  for (const command of manifest.contributes.commands) {
    it(`${command.command} is registered, categorised and titled in English and Japanese`, () => {
      assert.ok(extensionSource.includes(`registerCommand('${command.command}'`), 'never registered');
      assert.equal(command.category, 'Rill');
      assert.ok(command.icon, 'has an icon');
      const key = /^%(.+)%$/.exec(command.title)?.[1];
      assert.ok(key, 'the title comes from package.nls.json');
      assert.ok(nls[key], 'English title');
      assert.ok(nlsJa[key], 'Japanese title');
    });
  }

  it('has a Japanese string for every English one, and every %key% it uses exists', () => {
    assert.deepEqual(Object.keys(nlsJa).sort(), Object.keys(nls).sort());
    const used = [...read('package.json').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] as string);
    assert.ok(used.length > 5);
    for (const key of used) assert.ok(key in nls, `${key} is missing from package.nls.json`);
  });

  it('has a Japanese translation for every runtime string the host and the webview pass to l10n.t', () => {
    const ja = JSON.parse(read('l10n/bundle.l10n.ja.json')) as Record<string, string>;
    // `l10n.t('…')`, or `t('…')` where a file aliases it.
    const literals = [...`${extensionSource}\n${sources('src/webview')}`.matchAll(/(?:l10n\.t|\bt)\(\s*(['"])((?:\\.|(?!\1).)*)\1/g)].map((m) =>
      (m[2] as string).replace(/\\(['"\\])/g, '$1'),
    );
    assert.ok(literals.length > 3);
    for (const text of literals) assert.ok(ja[text], `no Japanese for: ${text}`);
  });
});
