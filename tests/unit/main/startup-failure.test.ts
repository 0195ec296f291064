import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../electron/contracts';
import { startupFailureMessage } from '../../../electron/main/startup-failure';

describe('the desktop app when the engine cannot start', () => {
  it('names the reason in the engine’s words and the data folder', () => {
    const error = new ParleyError('unavailable', 'The database /home/kim/.config/Parley/parley.db is damaged (page 12 is never used).');
    const { title, body } = startupFailureMessage(error, '/home/kim/.config/Parley');
    expect(title).toBe('Parley could not start');
    expect(body).toContain('parley.db is damaged');
    expect(body).toContain('Data folder: /home/kim/.config/Parley');
    expect(body).toMatch(/parley db restore/);
  });
});
