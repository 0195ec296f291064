/**
 * A public address for the webhook listener when the office has none: an ngrok tunnel opened with
 * the user's authtoken through `@ngrok/ngrok` (its native part ships as prebuilt Node-API packages
 * per platform). The tunnel forwards to the webhook listener only, never the console or RPC server.
 */
export interface Tunnel {
  readonly url: string;
  close(): Promise<void>;
}

export type OpenTunnel = (target: { host: string; port: number }, authtoken: string) => Promise<Tunnel>;

export const openNgrokTunnel: OpenTunnel = async ({ host, port }, authtoken) => {
  const ngrok = await import('@ngrok/ngrok');
  const listener = await ngrok.forward({ addr: `${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`, authtoken, proto: 'http' });
  const url = listener.url();
  if (!url) {
    await listener.close();
    throw new Error('ngrok opened a tunnel without a public URL');
  }
  return { url, close: () => listener.close() };
};
