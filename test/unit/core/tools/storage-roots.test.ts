import { strict as assert } from 'node:assert';
import { forbiddenRoots } from '../../../../src/core/tools/storage-roots';

describe('tools: VS Code storage folders refused', () => {
  it('the parents of the extension storage, and the user-data dir from the global storage', () => {
    const roots = forbiddenRoots(
      ['/home/u/.config/Code/User/globalStorage/rill.rill', '/home/u/.config/Code/User/workspaceStorage/abc123/rill.rill', '/home/u/.config/Code/logs/20261202/exthost1/rill.rill'],
      'posix',
    );
    assert.deepEqual(roots, [
      '/home/u/.config/Code/User/globalStorage',
      '/home/u/.config/Code',
      '/home/u/.config/Code/User/workspaceStorage/abc123',
      '/home/u/.config/Code/logs/20261202/exthost1',
    ]);
  });

  it('Windows paths, any case', () => {
    assert.deepEqual(forbiddenRoots(['C:\\Users\\u\\AppData\\Roaming\\Code\\user\\GlobalStorage\\rill.rill'], 'win32'), [
      'C:\\Users\\u\\AppData\\Roaming\\Code\\user\\GlobalStorage',
      'C:\\Users\\u\\AppData\\Roaming\\Code',
    ]);
  });

  it('never a file system root, never a relative path', () => {
    assert.deepEqual(forbiddenRoots(['/x', 'relative/dir', '/'], 'posix'), []);
    assert.deepEqual(forbiddenRoots(['/User/globalStorage/rill.rill'], 'posix'), ['/User/globalStorage'], 'the user-data dir would be "/": not refused wholesale');
  });
});
