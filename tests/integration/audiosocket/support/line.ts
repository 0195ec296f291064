import pino from 'pino';
import { AudioSocketLineSettings } from '../../../../electron/contracts';
import { AudioSocketTelephony } from '../../../../electron/engine/telephony/audiosocket/telephony';
import { PlayoutClock } from '../../../../electron/engine/voice/playout-clock';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** An AudioSocket line on a port the OS picks, with its log lines kept for assertions. */
export async function openLine(settings: Partial<AudioSocketLineSettings> = {}, secret?: string) {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const clock = new PlayoutClock();
  const line = new AudioSocketTelephony(
    { id: 'line-1', name: 'Office Asterisk', settings: AudioSocketLineSettings.parse({ listenPort: 0, ...settings }), secret, callerIds: ['+15550100'], codecs: ['PCMU'], maxCalls: 4 },
    { logger, clock },
  );
  const address = await line.address();
  if (!address) throw new Error(`line did not listen: ${line.state().detail}`);
  return { line, port: address.port, logs, warnings: () => logs.filter((l) => l.level === 40) };
}
