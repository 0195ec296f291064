import { describe, expect, it } from 'vitest';
import { decodeMuLaw, encodeMuLaw } from '../../../electron/engine/audio/g711';
import { answeredByOf } from '../../../electron/engine/telephony/twilio/call-leg';
import { mergeTwilioSecrets, parseTwilioSecrets } from '../../../electron/engine/telephony/twilio/line-secrets';
import { clearMessage, markMessage, mediaMessage, MediaStreamProtocolError, parseMediaStreamMessage } from '../../../electron/engine/telephony/twilio/media-stream-serializer';

const streamSid = 'MZ00000000000000000000000000000001';

describe('Media Streams serializer', () => {
  it('reads Twilio\'s messages as typed events', () => {
    expect(parseMediaStreamMessage(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }))).toEqual({ kind: 'connected' });
    const start = parseMediaStreamMessage(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid, start: { streamSid, accountSid: 'AC1', callSid: 'CA1', tracks: ['inbound'], customParameters: { line: 'l1' }, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } }));
    expect(start).toEqual({ kind: 'start', streamSid, callSid: 'CA1', accountSid: 'AC1', customParameters: { line: 'l1' }, encoding: 'audio/x-mulaw', sampleRate: 8000 });
    const samples = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const payload = Buffer.from(encodeMuLaw(samples)).toString('base64');
    const media = parseMediaStreamMessage(JSON.stringify({ event: 'media', sequenceNumber: '2', streamSid, media: { track: 'inbound', chunk: '1', timestamp: '20', payload } }));
    expect(media).toMatchObject({ kind: 'media', streamSid, sequence: 1 });
    expect(Array.from((media as { samples: Int16Array }).samples)).toEqual(Array.from(decodeMuLaw(encodeMuLaw(samples))));
    expect(parseMediaStreamMessage(JSON.stringify({ event: 'dtmf', streamSid, dtmf: { track: 'inbound_track', digit: '5' } }))).toEqual({ kind: 'dtmf', streamSid, digit: '5' });
    expect(parseMediaStreamMessage(JSON.stringify({ event: 'mark', streamSid, mark: { name: 'p3' } }))).toEqual({ kind: 'mark', streamSid, name: 'p3' });
    expect(parseMediaStreamMessage(JSON.stringify({ event: 'stop', streamSid, stop: { accountSid: 'AC1', callSid: 'CA1' } }))).toEqual({ kind: 'stop', streamSid });
  });

  it('refuses what is not Twilio\'s with a clear reason', () => {
    expect(() => parseMediaStreamMessage('not json')).toThrow(MediaStreamProtocolError);
    expect(() => parseMediaStreamMessage(JSON.stringify({ event: 'media', streamSid }))).toThrow(/malformed "media"/);
    expect(() => parseMediaStreamMessage(JSON.stringify({ event: 'dtmf', streamSid, dtmf: { digit: 'xx' } }))).toThrow(/malformed "dtmf"/);
    expect(() => parseMediaStreamMessage(JSON.stringify({ event: 'shutdown' }))).toThrow(/malformed "shutdown"/);
  });

  it('writes media, mark and clear as Twilio expects them', () => {
    const frame = new Int16Array(160).fill(1000);
    const media = JSON.parse(mediaMessage(streamSid, frame)) as { event: string; streamSid: string; media: { payload: string } };
    expect(media.event).toBe('media');
    expect(media.streamSid).toBe(streamSid);
    expect(Buffer.from(media.media.payload, 'base64')).toHaveLength(160);
    expect(JSON.parse(markMessage(streamSid, 'm1'))).toEqual({ event: 'mark', streamSid, mark: { name: 'm1' } });
    expect(JSON.parse(clearMessage(streamSid))).toEqual({ event: 'clear', streamSid });
  });

  it('maps Twilio\'s AnsweredBy values', () => {
    expect(['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'].map(answeredByOf)).toEqual(['human', 'machine', 'machine', 'machine', 'machine', 'machine', 'unknown']);
  });
});

describe('a Twilio line\'s secrets', () => {
  it('keeps, replaces and deletes each of the three independently', () => {
    const first = mergeTwilioSecrets(undefined, { authToken: 'tok', apiKeySecret: 'key' });
    expect(parseTwilioSecrets(first)).toEqual({ authToken: 'tok', apiKeySecret: 'key', tunnelAuthtoken: undefined });
    const second = mergeTwilioSecrets(first, { tunnelAuthtoken: 'ngrok', apiKeySecret: '' });
    expect(parseTwilioSecrets(second)).toEqual({ authToken: 'tok', apiKeySecret: undefined, tunnelAuthtoken: 'ngrok' });
    expect(mergeTwilioSecrets(second, { authToken: '', tunnelAuthtoken: '' })).toBeUndefined();
    expect(parseTwilioSecrets('plain-token')).toEqual({ authToken: 'plain-token' });
  });
});
