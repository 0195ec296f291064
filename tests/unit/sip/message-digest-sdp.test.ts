import { describe, expect, it } from 'vitest';
import { callerNumber, parseNameAddr, parseUri, parseVia } from '../../../electron/engine/telephony/sip/address';
import { DigestError, DigestSession, parseChallenge } from '../../../electron/engine/telephony/sip/digest';
import { createResponse, parseMessage, serialize, SipParseError, type SipRequest } from '../../../electron/engine/telephony/sip/message';
import { eventForFailure } from '../../../electron/engine/telephony/sip/outbound-call';
import { buildSdp, isHold, negotiate, parseSdp, SdpError } from '../../../electron/engine/telephony/sip/sdp';

describe('SIP message parsing', () => {
  const raw =
    'INVITE sip:+15551234@example.org SIP/2.0\r\n' +
    'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa1;rport, SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKa2\r\n' +
    'f: "Ann" <sip:ann@example.org>;tag=ab\r\n' +
    't: <sip:+15551234@example.org>\r\n' +
    'i: call-1@example.org\r\n' +
    'CSeq: 7 INVITE\r\n' +
    'Subject: folded\r\n  line\r\n' +
    'c: application/sdp\r\n' +
    'l: 4\r\n\r\nv=0\r\nextra';

  it('reads compact headers, comma-joined Vias, folded lines and a body cut at Content-Length', () => {
    const message = parseMessage(raw) as SipRequest;
    expect(message.kind).toBe('request');
    expect(message.method).toBe('INVITE');
    expect(message.headers.all('via')).toHaveLength(2);
    expect(parseVia(message.headers.get('via'))).toMatchObject({ transport: 'UDP', host: '10.0.0.1', port: 5060, params: { branch: 'z9hG4bKa1', rport: '' } });
    expect(message.headers.get('call-id')).toBe('call-1@example.org');
    expect(message.headers.get('subject')).toBe('folded line');
    expect(message.body).toBe('v=0\r');
  });

  it('serialises with long names and a recomputed Content-Length, and parses back the same', () => {
    const message = parseMessage(raw);
    const again = parseMessage(serialize(message));
    expect(serialize(message).toString()).toContain('Call-ID: call-1@example.org\r\n');
    expect(serialize(message).toString()).toContain('Content-Length: 4\r\n');
    expect(again.headers.all('via')).toEqual(message.headers.all('via'));
    expect(again.body).toBe(message.body);
  });

  it('rejects what is not SIP, with the reason', () => {
    expect(() => parseMessage('hello\r\n\r\n')).toThrow(SipParseError);
    expect(() => parseMessage('OPTIONS sip:a@b SIP/2.0\r\nNoColonHere\r\n\r\n')).toThrow(/malformed header line/);
    expect(() => parseMessage('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nabc')).toThrow(/shorter/);
  });

  it('builds a response that copies the transaction headers and adds our To tag', () => {
    const request = parseMessage(raw) as SipRequest;
    const response = createResponse(request, 180, 'Ringing', 'xyz');
    expect(response.headers.all('via')).toHaveLength(2);
    expect(response.headers.get('to')).toBe('<sip:+15551234@example.org>;tag=xyz');
    expect(createResponse(request, 100, 'Trying', 'xyz').headers.get('to')).not.toContain('tag=');
  });

  it('reads addresses and the caller number', () => {
    expect(parseNameAddr('"Bob" <sip:bob@h:5070;transport=tcp>;tag=1')).toEqual({ display: 'Bob', uri: 'sip:bob@h:5070;transport=tcp', params: { tag: '1' } });
    expect(parseUri('sip:bob@[::1]:5070;transport=tcp')).toMatchObject({ user: 'bob', host: '::1', port: 5070, params: { transport: 'tcp' } });
    expect(callerNumber('"Caller" <sip:+15557654321@carrier.example>;tag=9')).toBe('+15557654321');
    expect(callerNumber('<tel:+15550001111>')).toBe('+15550001111');
    expect(callerNumber('garbage')).toBe('unknown');
    expect(callerNumber('<sip:%E0%A4%A@carrier.example>')).toBe('E0A4A');
  });
});

describe('digest authentication', () => {
  // RFC 7616 section 3.9.1: the same request answered with MD5 and with SHA-256.
  const base = 'realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
  const credentials = { username: 'Mufasa', password: 'Circle of Life' };
  const cnonce = () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

  it('answers an MD5 challenge as RFC 7616 does', () => {
    const session = new DigestSession(parseChallenge(`Digest ${base}, algorithm=MD5`), credentials, cnonce);
    const header = session.authorize('GET', '/dir/index.html');
    expect(header).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('qop=auth');
  });

  it('answers a SHA-256 challenge as RFC 7616 does, counting nonces', () => {
    const session = new DigestSession(parseChallenge(`Digest ${base}, algorithm=SHA-256`), credentials, cnonce);
    expect(session.authorize('GET', '/dir/index.html')).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
    expect(session.authorize('GET', '/dir/index.html')).toContain('nc=00000002');
  });

  it('answers a challenge without qop (RFC 2069 style) and refuses what it cannot do', () => {
    const session = new DigestSession(parseChallenge('Digest realm="r", nonce="n"'), { username: 'u', password: 'p' });
    expect(session.authorize('REGISTER', 'sip:r')).not.toContain('qop=');
    expect(() => parseChallenge('Basic realm="r"')).toThrow(DigestError);
    expect(() => parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-512-256')).toThrow(/unsupported digest algorithm/);
    expect(() => parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toThrow(/unsupported qop/);
  });
});

describe('SDP', () => {
  const offer = 'v=0\r\no=a 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\na=sendrecv\r\n';

  it('answers with our preference among the offered codecs and their telephone-event type', () => {
    const sdp = parseSdp(offer);
    expect(negotiate(sdp, ['PCMU', 'PCMA'], false)).toEqual({ codec: 'PCMU', payloadType: 0, dtmfPayloadType: 96 });
    expect(negotiate(sdp, ['PCMU', 'PCMA'], true)).toEqual({ codec: 'PCMA', payloadType: 8, dtmfPayloadType: 96 });
    expect(negotiate(parseSdp(offer.replace('8 0 96', '18')), ['PCMU', 'PCMA'], false)).toBeNull();
  });

  it('sees hold as sendonly, inactive or a 0.0.0.0 connection', () => {
    expect(isHold(parseSdp(offer))).toBe(false);
    expect(isHold(parseSdp(offer.replace('a=sendrecv', 'a=sendonly')))).toBe(true);
    expect(isHold(parseSdp(offer.replace('a=sendrecv', 'a=inactive')))).toBe(true);
    expect(isHold(parseSdp(offer.replace('c=IN IP4 10.0.0.5', 'c=IN IP4 0.0.0.0')))).toBe(true);
  });

  it('offers the line codecs in order with telephone-event 101 at 20 ms', () => {
    const text = buildSdp({ sessionId: 1, version: 0, address: '192.0.2.1', port: 20_000, codecs: ['PCMA', 'PCMU'], direction: 'sendrecv' });
    expect(text).toContain('m=audio 20000 RTP/AVP 8 0 101\r\n');
    expect(text).toContain('a=rtpmap:101 telephone-event/8000\r\n');
    expect(text).toContain('a=ptime:20\r\n');
    expect(parseSdp(text).connection).toBe('192.0.2.1');
  });

  it('refuses SDP that is broken', () => {
    expect(() => parseSdp('hello')).toThrow(SdpError);
    expect(() => parseSdp('v=0\r\nm=audio x RTP/AVP 0\r\n')).toThrow(/malformed m= line/);
    expect(() => parseSdp('v=0\r\nm=audio 4000 RTP/AVP 0\r\n')).toThrow(/no connection address/);
  });
});

describe('final responses as call events', () => {
  const response = (status: number, reason: string) => ({ ...createResponse(parseMessage('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n') as SipRequest, status, reason) });
  it.each([
    [486, 'Busy Here', { type: 'busy' }],
    [600, 'Busy Everywhere', { type: 'busy' }],
    [480, 'Temporarily Unavailable', { type: 'no-answer' }],
    [408, 'Request Timeout', { type: 'no-answer' }],
    [404, 'Not Found', { type: 'invalid-number', reason: '404 Not Found' }],
    [484, 'Address Incomplete', { type: 'invalid-number', reason: '484 Address Incomplete' }],
    [403, 'Forbidden', { type: 'failed', reason: '403 Forbidden' }],
    [503, 'Service Unavailable', { type: 'failed', reason: '503 Service Unavailable' }],
    [488, 'Not Acceptable Here', { type: 'failed', reason: 'no common codec with the far end (488 Not Acceptable Here)' }],
  ])('%i %s', (status, reason, event) => {
    expect(eventForFailure(response(status, reason))).toEqual(event);
  });
});
