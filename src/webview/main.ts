import { ChatApp } from './chat-app';
import { loadStrings } from './strings';
import { connectToHost } from './vscode-api';

loadStrings();
const root = document.getElementById('app');
if (!root) throw new Error('Rill: the webview page has no #app element.');
new ChatApp(root, connectToHost()).start();
