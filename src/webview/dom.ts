/** Small DOM helpers shared by the webview's components. */

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A button with a codicon and an accessible name (the label shows as a tooltip when `iconOnly`). */
export function button(
  testId: string,
  label: string,
  onClick: () => void,
  options: { icon?: string; iconOnly?: boolean; secondary?: boolean } = {},
): HTMLButtonElement {
  const el = element('button', options.secondary ? 'secondary' : undefined);
  el.type = 'button';
  el.dataset.testid = testId;
  if (options.icon) {
    const icon = element('span', `codicon codicon-${options.icon}`);
    icon.setAttribute('aria-hidden', 'true');
    el.append(icon);
  }
  if (options.iconOnly) {
    el.classList.add('icon');
    el.title = label;
    el.setAttribute('aria-label', label);
  } else {
    el.append(document.createTextNode(label));
  }
  el.addEventListener('click', onClick);
  return el;
}

/** Now, on the clock the host's trace uses: epoch milliseconds with sub-millisecond precision. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
