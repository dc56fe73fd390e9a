/**
 * The API key the user pasted, kept for this browser session only: in sessionStorage (gone
 * when the tab closes), never in localStorage, a cookie or a URL, so it is not in history,
 * bookmarks, tickets or Referer headers. Without one, the explorer works against a server in
 * open local mode.
 */
const STORAGE_NAME = 'data-journey.api-key';

export function readSessionKey(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_NAME);
  } catch {
    return null; // storage refused (privacy settings): the key lives only as long as the page
  }
}

export function writeSessionKey(key: string | null): void {
  try {
    if (key === null || key.trim() === '') window.sessionStorage.removeItem(STORAGE_NAME);
    else window.sessionStorage.setItem(STORAGE_NAME, key.trim());
  } catch {
    // as above: nothing to keep it in
  }
}
