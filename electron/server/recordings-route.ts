import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ParleyError, RECORDINGS_PATH } from '../contracts';
import type { Engine, Logger } from '../engine';
import { parseRange } from '../engine/review/recording-files';

const STATUS: Record<string, number> = { not_found: 404, forbidden: 403, unauthorized: 401 };

/** Whether a request is for the recordings route. */
export function isRecordingRequest(url: string | undefined): boolean {
  return (url ?? '').startsWith(`${RECORDINGS_PATH}/`);
}

/**
 * `GET /recordings/<callId>`: the session token in `Authorization: Bearer …` (the same session check as
 * the WebSocket, and the same campaign scope as `calls.get`), HTTP Range for seeking, and only files
 * inside the data folder's recordings folder.
 */
export function serveRecording(req: IncomingMessage, res: ServerResponse, engine: Engine, logger: Logger, peerAddress: string): void {
  const headers = { 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' };
  const fail = (status: number, message: string) => {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain' }).end(message);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'Method not allowed');
  const callId = decodeURIComponent((req.url ?? '').slice(RECORDINGS_PATH.length + 1).split('?')[0] ?? '');
  if (!/^[\w.:-]{1,64}$/.test(callId)) return fail(400, 'Bad call id');
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const actor = token ? engine.context.access.authenticate(token, peerAddress) : undefined;
  if (!actor) return fail(401, 'Sign in first');
  let found: ReturnType<Engine['context']['review']['recordingFor']>;
  try {
    found = engine.context.review.recordingFor(actor, callId);
  } catch (error) {
    if (error instanceof ParleyError) return fail(STATUS[error.code] ?? 400, error.message);
    logger.error({ err: error, callId }, 'recording could not be served');
    return fail(500, 'The recording could not be read');
  }
  const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, found.size);
  const common = { ...headers, 'Content-Type': found.contentType, 'Accept-Ranges': 'bytes', 'Content-Disposition': `inline; filename="${found.filename}"` };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'Content-Range': `bytes */${found.size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: found.size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...common,
    'Content-Length': String(Math.max(0, end - start + 1)),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${found.size}` } : {}),
  });
  if (req.method === 'HEAD' || found.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(found.file, { start, end });
  stream.on('error', (error) => {
    logger.warn({ err: error, callId }, 'recording read failed');
    res.destroy(error);
  });
  stream.pipe(res);
}
