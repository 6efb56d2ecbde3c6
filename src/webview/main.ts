import { ChatApp } from './chat-app';
import { observeThemeChanges } from './render';
import { loadStrings } from './strings';
import { connectToHost } from './vscode-api';

loadStrings();
const root = document.getElementById('app');
if (!root) throw new Error('Rill: the webview page has no #app element.');
new ChatApp(root, connectToHost()).start();
// Diagrams are drawn in the theme's colours: redraw them when the user switches themes.
observeThemeChanges();
