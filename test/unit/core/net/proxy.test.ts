import { strict as assert } from 'node:assert';
import { proxyFor } from '../../../../src/core/net/proxy';

describe('proxyFor', () => {
  const none = { httpProxy: '', env: {} };

  it('uses no proxy by default', () => {
    assert.equal(proxyFor('https://api.openai.com/v1', none), undefined);
  });

  it("prefers VS Code's http.proxy over the environment", () => {
    assert.equal(proxyFor('https://api.openai.com/v1', { httpProxy: 'http://corp:3128', env: { HTTPS_PROXY: 'http://env:8080' } }), 'http://corp:3128');
  });

  it('picks the environment variable by scheme, in either case', () => {
    assert.equal(proxyFor('https://api.openai.com/v1', { httpProxy: '', env: { https_proxy: 'http://s:1' } }), 'http://s:1');
    assert.equal(proxyFor('http://gpu-box:8000/v1', { httpProxy: '', env: { HTTP_PROXY: 'http://p:2', HTTPS_PROXY: 'http://s:1' } }), 'http://p:2');
    assert.equal(proxyFor('https://x.example/v1', { httpProxy: '', env: { HTTP_PROXY: 'http://p:2' } }), 'http://p:2');
  });

  it('never proxies a server on this machine', () => {
    assert.equal(proxyFor('http://127.0.0.1:11434/v1', { httpProxy: 'http://corp:3128', env: {} }), undefined);
    assert.equal(proxyFor('http://localhost:1234/v1', { httpProxy: 'http://corp:3128', env: {} }), undefined);
  });

  it('honours NO_PROXY hosts, domain suffixes, ports and *', () => {
    const env = (NO_PROXY: string) => ({ httpProxy: '', env: { HTTPS_PROXY: 'http://p:1', NO_PROXY } });
    assert.equal(proxyFor('https://res.openai.azure.com/', env('.azure.com')), undefined);
    assert.equal(proxyFor('https://res.openai.azure.com/', env('openai.azure.com')), undefined);
    assert.equal(proxyFor('https://api.openai.com/', env('azure.com, example.org')), 'http://p:1');
    assert.equal(proxyFor('https://api.openai.com/', env('api.openai.com:443')), undefined);
    assert.equal(proxyFor('https://api.openai.com/', env('api.openai.com:8443')), 'http://p:1');
    assert.equal(proxyFor('https://api.openai.com/', env('*')), undefined);
  });
});
