import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RECORDINGS_PATH } from '../contracts';
import type { Engine, Logger } from '../engine';
import { answerRecordingRequest } from '../engine/review/recording-response';

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
  let callId: string;
  try {
    callId = decodeURIComponent((req.url ?? '').slice(RECORDINGS_PATH.length + 1).split('?')[0] ?? '');
  } catch {
    callId = '';
  }
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  // A console session, or a REST API token (other systems download recordings the same way).
  const actor = token ? (engine.context.access.authenticate(token, peerAddress) ?? engine.context.apiTokens.authenticate(token, `api:${peerAddress}`)) : undefined;
  let answer;
  try {
    answer = answerRecordingRequest(engine.context.review, actor, { method: req.method ?? 'GET', callId, range: typeof req.headers.range === 'string' ? req.headers.range : undefined });
  } catch (error) {
    logger.error({ err: error, callId }, 'recording could not be served');
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The recording could not be read');
    return;
  }
  res.writeHead(answer.status, answer.headers);
  if (!answer.body) {
    res.end(answer.text);
    return;
  }
  const stream = createReadStream(answer.body.file, { start: answer.body.start, end: answer.body.end });
  stream.on('error', (error) => {
    logger.warn({ err: error, callId }, 'recording read failed');
    res.destroy(error);
  });
  stream.pipe(res);
}
