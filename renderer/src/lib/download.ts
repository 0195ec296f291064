/** Saves text as a file through the browser's (or Electron's) download machinery. */
export function downloadText(filename: string, text: string | string[], type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(Array.isArray(text) ? text : [text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
