import { strict as assert } from 'node:assert';
import { confinePath, type ConfineOptions, type Confined, type PathAccess } from '../../../../src/core/tools';
import { FakeFs } from './fake-fs';

const APP = { name: 'app', path: '/work/app' };
const API = { name: 'api', path: '/work/api' };

function posixFs(): FakeFs {
  return new FakeFs('posix', false)
    .add('/work/app/src/index.ts', '/work/app/.vscode/settings.json', '/work/app/.git/hooks/pre-commit', '/work/app/.vscode-server/data/x')
    .add('/work/app-evil/secret.txt', '/work/api/x.ts', '/etc/passwd', '/home/u/.config/Code/User/settings.json')
    .link('/work/app/out', '/etc')
    .link('/work/app/good', 'src')
    .link('/work/app/evil-sibling', '../app-evil')
    .link('/work/app/dangling', '/tmp/nowhere/file')
    .link('/work/app/ws', '.vscode');
}

async function ok(input: unknown, access: PathAccess, options: ConfineOptions): Promise<Extract<Confined, { ok: true }>> {
  const result = await confinePath(input, access, options);
  assert.ok(result.ok, `${JSON.stringify(input)} should be allowed: ${result.ok ? '' : result.message}`);
  return result;
}

async function refused(input: unknown, access: PathAccess, options: ConfineOptions, why?: RegExp): Promise<string> {
  const result = await confinePath(input, access, options);
  assert.ok(!result.ok, `${JSON.stringify(input)} should be refused, got ${result.ok ? result.path : ''}`);
  if (why) assert.match(result.message, why);
  return result.message;
}

describe('tools: workspace confinement (POSIX)', () => {
  const fs = posixFs();
  const one = fs.options([APP]);
  const two = fs.options([APP, API]);

  it('a relative path resolves in the first folder, to its real path', async () => {
    const result = await ok('src/index.ts', 'read', one);
    assert.deepEqual(result, { ok: true, path: '/work/app/src/index.ts', folder: 'app', relative: 'src/index.ts', exists: true });
    assert.equal((await ok('./src/../src/index.ts', 'read', one)).path, '/work/app/src/index.ts');
  });

  it('".." out of the folder is refused, also after normalising', async () => {
    for (const input of ['..', '../app-evil/secret.txt', 'a/../../x', 'src/../../app-evil/secret.txt', 'src/./../../../etc/passwd']) {
      await refused(input, 'read', one, /outside the workspace folder "app"/);
    }
  });

  it('absolute paths: inside any folder allowed, outside refused, a prefix sibling is outside', async () => {
    assert.equal((await ok('/work/app/src/index.ts', 'read', one)).relative, 'src/index.ts');
    assert.equal((await ok('/work/api/x.ts', 'read', two)).folder, 'api');
    await refused('/etc/passwd', 'read', one, /outside the workspace folders/);
    await refused('/work/app-evil/secret.txt', 'read', one, /outside the workspace folders/);
    await refused('/work/app/../app-evil/secret.txt', 'read', one, /outside/);
    await refused('/work/api/x.ts', 'read', one, /outside/);
  });

  it('several folders: a first segment naming a folder picks it; ".." into another folder is still refused', async () => {
    assert.equal((await ok('api/x.ts', 'read', two)).path, '/work/api/x.ts');
    assert.equal((await ok('src/index.ts', 'read', two)).folder, 'app');
    await refused('../api/x.ts', 'read', two, /outside the workspace folder "app"/);
    await refused('api/../app/src/index.ts', 'read', two, /outside the workspace folder "api"/);
  });

  it('a symbolic link out of the workspace is refused; one that stays inside is followed', async () => {
    await refused('out/passwd', 'read', one, /through a symbolic link, outside/);
    await refused('evil-sibling/secret.txt', 'read', one, /symbolic link/);
    assert.equal((await ok('good/index.ts', 'read', one)).path, '/work/app/src/index.ts');
  });

  it('create: a new file under a real folder is allowed; under a linked-out parent or a dangling link refused', async () => {
    const created = await ok('src/new/deeper.ts', 'create', one);
    assert.equal(created.path, '/work/app/src/new/deeper.ts');
    assert.equal(created.exists, false);
    assert.equal((await ok('good/made.ts', 'create', one)).path, '/work/app/src/made.ts');
    await refused('out/new.txt', 'create', one, /symbolic link/);
    await refused('out/deeper/new.txt', 'create', one, /symbolic link/);
    await refused('dangling', 'create', one, /symbolic link whose target does not exist/);
    await refused('dangling/x.txt', 'create', one, /symbolic link whose target does not exist/);
  });

  it('a missing file is reported for read and write, not refused as outside', async () => {
    const message = await refused('nope.ts', 'read', one);
    assert.match(message, /"nope.ts" does not exist in the workspace folder "app"/);
    await refused('src/nope.ts', 'write', one, /does not exist/);
  });

  it('NUL bytes and control characters are refused', async () => {
    await refused('src/index.ts\u0000.png', 'read', one, /NUL byte/);
    await refused('src/index.ts\nrm', 'read', one, /control character/);
  });

  it('Windows-style and UNC paths are refused on POSIX, as is "~"', async () => {
    await refused('C:\\Windows\\system32', 'read', one, /Windows-style/);
    await refused('C:/Windows', 'read', one, /Windows-style/);
    await refused('\\\\server\\share\\x', 'read', one, /Windows-style/);
    await refused('src\\index.ts', 'read', one, /Windows-style/);
    await refused('~/.ssh/id_rsa', 'read', one, /home folder/);
  });

  it("VS Code's storage is refused: server folders, forbidden roots (any case), and links into them", async () => {
    await refused('.vscode-server/data/x', 'read', one, /VS Code's own server/);
    const home = fs.options([{ name: 'u', path: '/home/u' }], ['/home/u/.config/Code/User', '/home/u/.config/Code/User/globalStorage/rill.rill']);
    await refused('.config/Code/User/settings.json', 'read', home, /VS Code's own storage/);
    await refused('.CONFIG/code/user/settings.json', 'read', home, /VS Code's own storage/);
    await refused('/home/u/.config/Code/User/globalStorage/rill.rill/chats.json', 'create', home, /VS Code's own storage/);
    const linked = new FakeFs('posix', false).add('/home/u/.config/Code/User/settings.json', '/home/u/proj/a.ts').link('/home/u/proj/store', '../.config/Code/User');
    const options = linked.options([{ name: 'u', path: '/home/u' }], ['/home/u/.config/Code/User']);
    assert.equal((await ok('proj/a.ts', 'read', options)).path, '/home/u/proj/a.ts');
    await refused('proj/store/settings.json', 'read', options, /VS Code's own storage.*through a symbolic link/);
  });

  it('writes to .vscode, .git and .code-workspace are refused, reads are not', async () => {
    assert.ok((await ok('.vscode/settings.json', 'read', one)).exists);
    await refused('.vscode/settings.json', 'write', one, /tools may read it but not change it/);
    await refused('src/../.vscode/tasks.json', 'create', one, /".vscode"/);
    await refused('.git/hooks/pre-commit', 'write', one, /git hooks/);
    await refused('team.code-workspace', 'create', one, /settings/);
    await refused('ws/settings.json', 'write', one, /through a symbolic link/);
  });

  it('case: different case is outside on a case-sensitive file system, inside on an insensitive one', async () => {
    await refused('/WORK/APP/src/index.ts', 'read', one, /outside/);
    const insensitive = new FakeFs('posix', true).add('/work/app/src/index.ts');
    assert.equal((await ok('/WORK/APP/src/index.ts', 'read', insensitive.options([APP]))).relative, 'src/index.ts');
  });

  it('empty, non-string and folder-less input is refused; a throwing probe becomes a refusal', async () => {
    await refused('', 'read', one, /empty/);
    await refused('   ', 'read', one, /empty/);
    await refused(42, 'read', one, /empty/);
    await refused('src/index.ts', 'read', fs.options([]), /no workspace folder/);
    await refused('src/index.ts', 'read', fs.options([{ name: 'rel', path: 'work/app' }]), /no workspace folder/);
    const broken: ConfineOptions = { ...one, realpath: () => Promise.reject(new Error('EIO')), lexists: () => Promise.reject(new Error('EIO')) };
    await refused('src/index.ts', 'read', broken, /could not be checked \(EIO\)/);
  });
});

describe('tools: workspace confinement (Windows)', () => {
  const fs = new FakeFs('win32').add('C:\\work\\app\\src\\index.ts', 'C:\\work\\app-evil\\x.txt', '\\\\server\\share\\proj\\a.txt').link('C:\\work\\app\\out', 'D:\\secrets');
  fs.add('D:\\secrets\\key');
  const one = fs.options([{ name: 'app', path: 'C:\\work\\app' }]);

  it('relative paths with either slash, absolute inside (any case), resolve in the folder', async () => {
    assert.equal((await ok('src\\index.ts', 'read', one)).path, 'C:\\work\\app\\src\\index.ts');
    assert.equal((await ok('src/index.ts', 'read', one)).relative, 'src/index.ts');
    assert.equal((await ok('c:/WORK/app/src/index.ts', 'read', one)).relative, 'src/index.ts');
  });

  it('drive escapes, other drives, prefix siblings and links to another drive are refused', async () => {
    await refused('C:\\..', 'read', one, /outside/);
    await refused('C:\\work\\app\\..\\app-evil\\x.txt', 'read', one, /outside/);
    await refused('C:\\work\\app-evil\\x.txt', 'read', one, /outside/);
    await refused('..\\app-evil\\x.txt', 'read', one, /outside the workspace folder/);
    await refused('D:\\secrets\\key', 'read', one, /outside/);
    await refused('out\\key', 'read', one, /symbolic link/);
  });

  it('UNC, device, drive-relative and rooted paths are refused', async () => {
    await refused('\\\\server\\share\\proj\\a.txt', 'read', one, /outside/);
    await refused('//server/share/proj/a.txt', 'read', one, /outside/);
    await refused('\\\\?\\C:\\work\\app\\src\\index.ts', 'read', one, /device paths/);
    await refused('\\\\.\\pipe\\x', 'read', one, /device paths/);
    await refused('C:src\\index.ts', 'read', one, /hidden current folder/);
    await refused('\\work\\app\\src\\index.ts', 'read', one, /current drive/);
  });

  it("names Windows rewrites are refused: streams, trailing dots and spaces, device names", async () => {
    await refused('src\\index.ts:hidden', 'read', one, /alternate data stream/);
    await refused('.vscode.\\settings.json', 'write', one, /ends with a dot or a space/);
    await refused('src \\index.ts', 'read', one, /ends with a dot or a space/);
    await refused('NUL', 'read', one, /reserved device name/);
    await refused('src\\con.txt', 'create', one, /reserved device name/);
    await refused('src\\a*.ts', 'read', one, /does not allow/);
  });

  it('a folder on a UNC share contains its own paths only', async () => {
    const share = fs.options([{ name: 'proj', path: '\\\\server\\share\\proj' }]);
    assert.equal((await ok('a.txt', 'read', share)).path, '\\\\server\\share\\proj\\a.txt');
    assert.equal((await ok('\\\\SERVER\\share\\proj\\a.txt', 'read', share)).relative, 'a.txt');
    await refused('\\\\server\\share\\other\\a.txt', 'read', share, /outside/);
    await refused('\\\\server\\share\\proj-evil\\a.txt', 'read', share, /outside/);
  });
});
