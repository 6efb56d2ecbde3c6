/** A code block's text with the file's line ending and final newline, so the diff shows only the real change. */
export function asFileText(code: string, before: string | undefined): string {
  let text = code.replace(/\r\n/g, '\n');
  if (before !== undefined) {
    if (before.endsWith('\n') && !text.endsWith('\n')) text += '\n';
    if (before.includes('\r\n')) text = text.replace(/\n/g, '\r\n');
  } else if (!text.endsWith('\n')) {
    text += '\n';
  }
  return text;
}
