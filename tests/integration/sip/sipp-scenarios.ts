/** SIPp uac scenario pieces for calls to a Parley line (XML with SIPp's [keywords]). */

export const offer = (payloads: number[]) => `v=0
o=caller 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP ${payloads.join(' ')} 101
${payloads.map((p) => `a=rtpmap:${p} ${p === 8 ? 'PCMA' : 'PCMU'}/8000`).join('\n')}
a=rtpmap:101 telephone-event/8000
a=sendrecv`;

export const invite = (sdp: string, headers = '') => `  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Caller" <sip:+15557654321@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
${headers}Content-Type: application/sdp
Content-Length: [len]

${sdp}
]]></send>`;

export const inDialog = (method: string, cseq: number) => `  <send${method === 'ACK' ? '' : ' retrans="500"'}><![CDATA[
${method} sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Caller" <sip:+15557654321@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>`;

export const scenario = (name: string, body: string) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="${name}">
${body}
</scenario>`;
