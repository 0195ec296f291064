/**
 * The desktop shell's security decisions as plain functions (Electron calls them from its handlers;
 * tests call them directly, since the Electron binary cannot run everywhere).
 */

/** Permissions: only the microphone, only for the app's own page. Camera, screen, location, notifications: never. */
export function permissionAllowed(
  permission: string,
  details: { requestingUrl?: string; mediaTypes?: readonly string[] },
  isTrustedUrl: (url: string) => boolean,
): boolean {
  if (permission !== 'media') return false;
  if (!details.requestingUrl || !isTrustedUrl(details.requestingUrl)) return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'audio');
}

/** Permission checks (no media types known yet): the microphone question from the app's own origin only. */
export function permissionCheckAllowed(permission: string, requestingOrigin: string, appOrigin: string): boolean {
  return (permission === 'media' || permission === 'microphone') && requestingOrigin === appOrigin;
}

/**
 * Navigation, redirects and sub-frame navigation: the window stays on the console. A reload of the same
 * page (hash changes included) is fine; anything else is stopped.
 */
export function navigationAllowed(targetUrl: string, isTrustedUrl: (url: string) => boolean): boolean {
  return isTrustedUrl(targetUrl);
}

/** Links the console opens in the user's browser: https only. */
export function externalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
