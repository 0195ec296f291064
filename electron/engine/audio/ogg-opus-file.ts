import { createHash, randomInt } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { OggPageWriter, OPUS_GRANULE_RATE, OPUS_PRE_SKIP, opusHead, opusTags } from './ogg-opus';

/** A page goes to disk at least this often, so a crash loses at most this much encoded audio. */
export const PAGE_EVERY_PACKETS = 25; // 25 x 20 ms = 0.5 s

/**
 * An Ogg Opus file written as it grows: headers first, then a page every half second of packets,
 * appended in order (never rewritten), hashed on the way. Every page on disk is whole and carries
 * its granule position, so the file plays up to its last page whatever happens to the process.
 */
export class OggOpusFileWriter {
  private readonly pages: OggPageWriter;
  private readonly hash = createHash('sha256');
  private readonly queued: Uint8Array[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private packets = 0;
  private bytesWritten = 0;
  private closed = false;
  private trim = 0;
  private lastGranule = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly samplesPerPacket48k: number,
  ) {
    this.pages = new OggPageWriter(randomInt(1, 0x7fffffff));
  }

  /** Creates the file (0600, refusing to replace one) and writes the two header pages. */
  static async create(path: string, options: { channels: 1 | 2; inputSampleRate: number; frameMs?: number; comments?: string[] }): Promise<OggOpusFileWriter> {
    const file = await open(path, 'wx', 0o600);
    const writer = new OggOpusFileWriter(file, (OPUS_GRANULE_RATE * (options.frameMs ?? 20)) / 1000);
    writer.append(writer.pages.page([opusHead(options.channels, options.inputSampleRate)], 0, { bos: true }));
    writer.append(writer.pages.page([opusTags('Parley', options.comments ?? [])], 0));
    await writer.chain;
    return writer;
  }

  /** Packets in order, one per frame; full pages are written straight away. */
  add(packets: readonly Uint8Array[]): void {
    if (this.closed) return;
    this.queued.push(...packets);
    while (this.queued.length >= PAGE_EVERY_PACKETS) this.writePage(PAGE_EVERY_PACKETS);
  }

  /** Milliseconds of audio handed in so far. */
  get durationMs(): number {
    return ((this.packets + this.queued.length) * this.samplesPerPacket48k * 1000) / OPUS_GRANULE_RATE;
  }

  /**
   * Writes what is left on an end-of-stream page; resolves with the file's size and sha256.
   * `paddingPackets`: trailing packets that only flush the encoder's look-ahead (silence after the
   * end): the last granule trims them, so the file plays exactly the audio handed in.
   */
  async close(paddingPackets = 0): Promise<{ bytes: number; sha256: string; durationMs: number }> {
    if (!this.closed) {
      this.closed = true;
      while (this.queued.length > PAGE_EVERY_PACKETS) this.writePage(PAGE_EVERY_PACKETS);
      this.trim = Math.max(0, paddingPackets * this.samplesPerPacket48k - OPUS_PRE_SKIP);
      this.writePage(this.queued.length, true);
      this.chain = this.chain.then(() => this.file.close());
    }
    await this.chain;
    if (this.failure) throw this.failure;
    return { bytes: this.bytesWritten, sha256: this.hash.digest('hex'), durationMs: Math.max(0, ((this.lastGranule - OPUS_PRE_SKIP) * 1000) / OPUS_GRANULE_RATE) };
  }

  /** Closes the file without an end page (the recording was abandoned); what is on disk stays playable. */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chain = this.chain.then(() => this.file.close());
    await this.chain.catch(() => undefined);
  }

  private writePage(count: number, eos = false): void {
    const taken = this.queued.splice(0, count);
    let start = 0;
    do {
      const fit = Math.max(1, OggPageWriter.fitting(taken.slice(start)));
      const slice = taken.slice(start, start + fit);
      start += slice.length;
      this.packets += slice.length;
      // Granule: 48 kHz samples decoded through this page (the player drops the pre-skip from them);
      // the end page may say less, trimming the padding.
      const last = eos && start >= taken.length;
      const granule = this.packets * this.samplesPerPacket48k - (last ? this.trim : 0);
      this.lastGranule = granule;
      this.append(this.pages.page(slice, granule, { eos: last }));
    } while (start < taken.length);
  }

  private append(page: Uint8Array): void {
    this.hash.update(page);
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.file.write(page);
        this.bytesWritten += page.length;
      } catch (error) {
        this.failure = error as Error;
      }
    });
  }
}
