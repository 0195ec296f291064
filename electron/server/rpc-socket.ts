import type { RawData, WebSocket } from 'ws';
import { AuthFrame, CLOSE_UNAUTHORIZED, InvokeFrame, LogoutFrame, MAX_MESSAGE_BYTES, ParleyError, type Actor, type ServerFrame } from '../contracts';
import type { Engine, Logger } from '../engine';
import { serveAudioFrames } from './audio-socket';
import { CLOSE_POLICY, CLOSE_TOO_BIG, CommandRate, DEFAULT_SOCKET_LIMITS, peekFrameId, type ConnectionTicket, type SocketLimits } from './socket-limits';

/** Hard cap at the socket layer; anything between this and MAX_MESSAGE_BYTES gets a typed error. */
export const SOCKET_MAX_PAYLOAD = 4 * MAX_MESSAGE_BYTES;
/** A socket that has not signed in by then is closed. */
export const AUTH_TIMEOUT_MS = 10_000;

export interface RpcPeer {
  /** The client's address, for throttling and the audit log. */
  address: string;
  /** True when the client connects from this machine (sign-in links work only then). */
  loopback: boolean;
}

/**
 * Serves the contract over one WebSocket. Until the client signs in (an `auth` frame with a password,
 * a session token or a one-time link), every frame gets `unauthorized` and nothing else: no events, no
 * audio. Signed in, JSON invoke frames run as the session's user; binary frames carry live call audio.
 */
export function serveRpcSocket(
  socket: WebSocket,
  engine: Engine,
  logger: Logger,
  peer: RpcPeer,
  authTimeoutMs = AUTH_TIMEOUT_MS,
  options: { limits?: SocketLimits; ticket?: ConnectionTicket } = {},
): void {
  const { access } = engine.context;
  const limits = options.limits ?? DEFAULT_SOCKET_LIMITS;
  const rate = new CommandRate(limits.commandsPerSecond, limits.commandBurst);
  let session: { token: string; userId: string; actor: Actor } | undefined;
  let unsubscribe: (() => void) | undefined;
  let audio: ReturnType<typeof serveAudioFrames> | undefined;
  let dropped = false;
  /** Commands of this socket still being answered: a client cannot pile up unbounded work. */
  let inFlight = 0;
  /** A client that stopped reading is dropped, never allowed to grow the server's memory. */
  const send = (frame: ServerFrame) => {
    if (socket.readyState !== socket.OPEN || dropped) return;
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      dropped = true;
      logger.warn({ address: peer.address, bufferedBytes: socket.bufferedAmount }, 'dropped a client that stopped reading');
      socket.close(CLOSE_POLICY, 'Too far behind: the client is not reading');
      // A client that does not read will not read the close frame either: free its buffers now.
      setTimeout(() => socket.terminate(), 1_000).unref();
      return;
    }
    socket.send(JSON.stringify(frame));
  };
  const unauthorized = { code: 'unauthorized' as const, message: 'Sign in first' };

  const authTimer = setTimeout(() => {
    if (!session) socket.close(CLOSE_UNAUTHORIZED, 'Sign-in timed out');
  }, authTimeoutMs);
  authTimer.unref();

  /** The session's user for this frame (renewing the session), or undefined once it ended. */
  const currentActor = (): Actor | undefined => {
    if (!session) return undefined;
    const actor = access.authenticate(session.token, peer.address);
    if (!actor) endSession('The session has ended; sign in again');
    else session.actor = actor; // a changed role or assignment applies to events from now on
    return actor;
  };

  const startSession = (token: string, userId: string) => {
    const actor = access.authenticate(token, peer.address);
    if (!actor) return;
    session = { token, userId, actor };
    options.ticket?.signedIn();
    clearTimeout(authTimer);
    watchSession();
    // Live-call events (transcripts, activity) reach only sessions allowed to see that campaign.
    unsubscribe ??= engine.subscribe((event) => {
      if (session && engine.visibleTo(session.actor, event)) send({ type: 'event', event: event.name, payload: event.payload });
    });
    audio ??= serveAudioFrames(socket, engine.context.supervision.audio, logger, (message) => send({ type: 'error', error: { code: 'bad_request', message } }));
  };

  const endSession = (reason: string) => {
    session = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
    audio?.close();
    audio = undefined;
    socket.close(CLOSE_UNAUTHORIZED, reason);
  };

  // Signed in only: revoked elsewhere (password change, removal, sign-out in another tab) or expired,
  // this socket stops at once. An unauthenticated socket holds nothing but its sign-in timer.
  let offRevoked: (() => void) | undefined;
  let expiryCheck: ReturnType<typeof setInterval> | undefined;
  const watchSession = () => {
    offRevoked ??= access.onRevoked((userId) => {
      if (session && (userId === undefined || userId === session.userId) && !access.isValid(session.token)) endSession('Signed out');
    });
    expiryCheck ??= setInterval(() => {
      if (session && !access.isValid(session.token)) endSession('The session has ended; sign in again');
    }, 15_000);
    expiryCheck.unref();
  };

  socket.on('close', () => {
    options.ticket?.release();
    clearTimeout(authTimer);
    clearInterval(expiryCheck);
    offRevoked?.();
    unsubscribe?.();
    audio?.close();
  });
  socket.on('error', (error) => logger.warn({ err: error }, 'rpc socket error'));

  // A frame never takes the server down: anything unexpected is logged and answered `internal`.
  socket.on('message', (data, isBinary) => {
    if (dropped) return; // a client cut off for not reading gets no more work done for it
    handle(data, isBinary).catch((error: unknown) => {
      logger.error({ err: error }, 'rpc frame failed');
      send({ type: 'error', error: { code: 'internal', message: 'The request failed' } });
    });
  });

  const handle = async (data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) {
      if (currentActor()) audio?.receive(data);
      else send({ type: 'error', error: unauthorized });
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    // Sizes are checked before anything is parsed: a stranger gets little room, anyone a typed refusal.
    if (!session && bytes.length > limits.unauthenticatedMaxFrameBytes) {
      socket.close(CLOSE_TOO_BIG, 'Frame too large before sign-in');
      return;
    }
    if (bytes.length > MAX_MESSAGE_BYTES) {
      const error = { code: 'too_large' as const, message: `Message exceeds ${MAX_MESSAGE_BYTES} bytes` };
      const id = peekFrameId(bytes);
      send(id === undefined ? { type: 'error', error } : { type: 'result', id, ok: false, error });
      return;
    }
    if (!rate.take() || inFlight >= limits.maxInFlightCommands) {
      const id = peekFrameId(bytes);
      const message = inFlight >= limits.maxInFlightCommands ? `More than ${limits.maxInFlightCommands} requests waiting for an answer; wait for some` : `More than ${limits.commandsPerSecond} requests a second; slow down`;
      const error = { code: 'rate_limited' as const, message };
      send(id === undefined ? { type: 'error', error } : { type: 'result', id, ok: false, error });
      return;
    }
    inFlight++;
    try {
      await handleText(bytes);
    } finally {
      inFlight--;
    }
  };

  const handleText = async (bytes: Buffer): Promise<void> => {
    const text = bytes.toString('utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      send({ type: 'error', error: session ? { code: 'bad_request', message: 'Frame is not valid JSON' } : unauthorized });
      return;
    }
    const id = idOf(raw);
    const reply = (error: { code: 'bad_request' | 'unauthorized' | 'internal'; message: string }) =>
      send(id === undefined ? { type: 'error', error } : { type: 'result', id, ok: false, error });
    const type = (raw as { type?: unknown } | null)?.type;
    if (type === 'auth') {
      const frame = AuthFrame.safeParse(raw);
      if (!frame.success) return reply({ code: 'bad_request', message: 'Expected {type:"auth", id, credentials}' });
      try {
        const grant = await access.signIn(frame.data.credentials, { origin: peer.address, loopback: peer.loopback });
        startSession(grant.token, grant.user.id);
        send({ type: 'result', id: frame.data.id, ok: true, result: grant });
      } catch (error) {
        const shape = error instanceof ParleyError ? error.toShape() : { code: 'internal' as const, message: 'Sign-in failed' };
        if (!(error instanceof ParleyError)) logger.error({ err: error }, 'sign-in failed');
        send({ type: 'result', id: frame.data.id, ok: false, error: shape });
      }
      return;
    }
    if (type === 'logout') {
      const frame = LogoutFrame.safeParse(raw);
      if (!frame.success) return reply({ code: 'bad_request', message: 'Expected {type:"logout", id}' });
      const actor = currentActor();
      if (session && actor) {
        access.signOut(session.token);
        engine.context.audit.record(actor, 'sign-out', `user:${actor.username}`);
      }
      send({ type: 'result', id: frame.data.id, ok: true, result: { signedOut: true } });
      endSession('Signed out');
      return;
    }
    const actor = currentActor();
    if (!actor) return reply(unauthorized);
    const frame = InvokeFrame.safeParse(raw);
    if (!frame.success) return reply({ code: 'bad_request', message: 'Expected {type:"invoke", id, command, payload}' });
    const outcome = await engine.invokeAs(actor, frame.data.command, frame.data.payload);
    send({ type: 'result', id: frame.data.id, ...outcome });
  };
}

function idOf(raw: unknown): string | number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}
