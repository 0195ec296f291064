/**
 * The console's Content-Security-Policy, shared by the Electron build (meta tag) and `parley serve`
 * (header). `connect-src 'self'`: the desktop app talks over IPC only, and a browser console only to the
 * server that served it (CSP Level 3 lets 'self' cover ws:/wss: on the same host and port).
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
