import { IMPORT_CHUNK_BYTES, type ParleyClient } from '../../../../electron/contracts';

/** Bytes -> base64 in slices (a spread of a whole chunk would overflow the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function readSlice(file: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

/** Sends a file to an import session chunk by chunk; each chunk is acknowledged once the engine has consumed it. */
export async function uploadFile(
  client: ParleyClient,
  importId: string,
  file: Blob,
  onProgress: (sentBytes: number) => void,
  signal: { cancelled: boolean },
): Promise<void> {
  for (let at = 0; at < file.size; at += IMPORT_CHUNK_BYTES) {
    if (signal.cancelled) return;
    const bytes = await readSlice(file, at, Math.min(file.size, at + IMPORT_CHUNK_BYTES));
    await client.call('contacts.importChunk', { importId, data: toBase64(bytes) });
    onProgress(Math.min(file.size, at + IMPORT_CHUNK_BYTES));
  }
}

/** Every contact (or a segment's) as one CSV, fetched page by page. */
export async function exportContacts(client: ParleyClient, segmentId?: string): Promise<string[]> {
  const parts: string[] = [];
  let after = 0;
  let customFields: string[] | undefined;
  for (;;) {
    const page = await client.call('contacts.exportPage', { after, limit: 5_000, ...(segmentId ? { segmentId } : {}), ...(customFields ? { customFields } : {}) });
    customFields = page.customFields;
    if (page.csv) parts.push(page.csv);
    if (page.next === null) return parts;
    after = page.next;
  }
}
