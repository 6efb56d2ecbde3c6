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

  describe('for the Marketplace', () => {
    const pkg = JSON.parse(read('package.json')) as {
      icon?: string;
      repository?: { url?: string };
      galleryBanner?: { color?: string; theme?: string };
      keywords?: string[];
      categories?: string[];
      license?: string;
    };

    it('has a PNG icon of at least 128x128', () => {
      assert.ok(pkg.icon?.endsWith('.png'), 'the Marketplace takes no SVG icon');
      const png = readFileSync(join(root, pkg.icon ?? ''));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`);
    });

    it('has a repository, so that vsce makes the README images absolute', () => {
      assert.match(pkg.repository?.url ?? '', /^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    });

    it('has a gallery banner, keywords, known categories and the MIT licence it says', () => {
      assert.match(pkg.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
      assert.ok(['dark', 'light'].includes(pkg.galleryBanner?.theme ?? ''));
      // vsce refuses more than 30 keywords.
      assert.ok((pkg.keywords?.length ?? 0) > 3 && (pkg.keywords?.length ?? 0) <= 30);
      const known = ['AI', 'Chat', 'Programming Languages', 'Snippets', 'Linters', 'Themes', 'Debuggers', 'Formatters', 'Keymaps', 'SCM Providers', 'Other', 'Extension Packs', 'Language Packs', 'Data Science', 'Machine Learning', 'Visualization', 'Notebooks', 'Education', 'Testing'];
      for (const category of pkg.categories ?? []) assert.ok(known.includes(category), category);
      assert.equal(pkg.license, 'MIT');
      assert.match(read('LICENSE'), /^MIT License\n\nCopyright \(c\) \d{4} the Rill authors\n/);
    });
  });

  // npm 11.16+ asks that every dependency's install scripts be approved or denied in allowScripts.
  for (const dir of ['.', 'scripts/vscode-web']) {
    it(`${dir}/package.json approves or denies every install script in its lock`, () => {
      const manifest = JSON.parse(read(join(dir, 'package.json'))) as { allowScripts?: Record<string, boolean> };
      const lock = JSON.parse(read(join(dir, 'package-lock.json'))) as { packages: Record<string, { hasInstallScript?: boolean }> };
      const scripted = Object.entries(lock.packages)
        .filter(([, entry]) => entry.hasInstallScript)
        .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
      assert.ok(scripted.length > 0);
      assert.deepEqual(Object.keys(manifest.allowScripts ?? {}).sort(), [...new Set(scripted)].sort());
    });
  }
});
