import { ParleyError, type Actor } from '../../contracts';
import { parseRange } from './recording-files';
import type { ReviewService } from './review-service';

export interface RecordingAnswer {
  status: number;
  headers: Record<string, string>;
  /** The bytes to send (inclusive range of `file`), absent for errors, HEAD and empty files. */
  body?: { file: string; start: number; end: number };
  /** Plain-text reason, for errors. */
  text?: string;
}

const STATUS: Partial<Record<string, number>> = { not_found: 404, forbidden: 403, unauthorized: 401 };

/**
 * What to answer a request for a call's recording, whichever host asks (the HTTP route of `parley
 * serve`, or a custom protocol in the desktop app): who (`actor`, undefined when the session is not
 * valid), which call, the method and the Range header. Pure decision; the host streams the bytes.
 */
export function answerRecordingRequest(review: ReviewService, actor: Actor | undefined, request: { method: string; callId: string; range?: string | undefined }): RecordingAnswer {
  const base = { 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' };
  const fail = (status: number, text: string): RecordingAnswer => ({ status, headers: { ...base, 'Content-Type': 'text/plain' }, text });
  if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, 'Method not allowed');
  if (!/^[\w.:-]{1,64}$/.test(request.callId)) return fail(400, 'Bad call id');
  if (!actor) return fail(401, 'Sign in first');
  let found: ReturnType<ReviewService['recordingFor']>;
  try {
    found = review.recordingFor(actor, request.callId);
  } catch (error) {
    if (error instanceof ParleyError) return fail(STATUS[error.code] ?? 400, error.message);
    throw error;
  }
  const range = parseRange(request.range, found.size);
  const headers = { ...base, 'Content-Type': found.contentType, 'Accept-Ranges': 'bytes', 'Content-Disposition': `inline; filename="${found.filename}"` };
  if (range === 'unsatisfiable') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${found.size}` } };
  const { start, end } = range ?? { start: 0, end: found.size - 1 };
  return {
    status: range ? 206 : 200,
    headers: { ...headers, 'Content-Length': String(Math.max(0, end - start + 1)), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${found.size}` } : {}) },
    ...(request.method === 'GET' && found.size > 0 ? { body: { file: found.file, start, end } } : {}),
  };
}
