/** How long a saved file's object URL lives: some browsers read it after the click returns. */
const objectUrlLifetimeMs = 10_000;

/**
 * Saves a file fetched with the bearer token (a plain link could not send it): through an object
 * URL and a download link clicked at once.
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), objectUrlLifetimeMs);
}
