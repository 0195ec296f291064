import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../electron/contracts';
import { externalLinkAllowed, navigationAllowed, permissionAllowed, permissionCheckAllowed } from '../../../electron/main/security';
import { repoRoot } from '../../support/fixtures';

const consoleUrl = 'file:///app/out/renderer/index.html';
const trusted = (url: string) => url === consoleUrl || url.startsWith(`${consoleUrl}#`);

describe('desktop shell security decisions', () => {
  it('grants only the microphone, only to the console page', () => {
    expect(permissionAllowed('media', { requestingUrl: consoleUrl, mediaTypes: ['audio'] }, trusted)).toBe(true);
    expect(permissionAllowed('media', { requestingUrl: consoleUrl, mediaTypes: ['audio', 'video'] }, trusted)).toBe(false);
    expect(permissionAllowed('media', { requestingUrl: consoleUrl, mediaTypes: ['video'] }, trusted)).toBe(false);
    expect(permissionAllowed('media', { requestingUrl: consoleUrl, mediaTypes: [] }, trusted)).toBe(false);
    expect(permissionAllowed('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }, trusted)).toBe(false);
    for (const other of ['notifications', 'geolocation', 'display-capture', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(permissionAllowed(other, { requestingUrl: consoleUrl }, trusted), other).toBe(false);
    }
    expect(permissionCheckAllowed('media', 'file://', 'file://')).toBe(true);
    expect(permissionCheckAllowed('media', 'https://evil.example', 'file://')).toBe(false);
    expect(permissionCheckAllowed('geolocation', 'file://', 'file://')).toBe(false);
  });

  it('keeps the window (navigations, redirects, frames) on the console; opens only https links outside', () => {
    expect(navigationAllowed(`${consoleUrl}#calls`, trusted)).toBe(true);
    expect(navigationAllowed('https://evil.example/', trusted)).toBe(false);
    expect(navigationAllowed('file:///etc/passwd', trusted)).toBe(false);
    expect(externalLinkAllowed('https://parley.example/help')).toBe(true);
    expect(externalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(externalLinkAllowed('javascript:alert(1)')).toBe(false);
  });

  it('limits connect-src to the console itself', () => {
    const connect = /connect-src ([^;]+)/.exec(CONSOLE_CSP)![1]!.trim();
    expect(connect).toBe("'self'");
  });

  it('sets the Electron fuses in the build: no run-as-node, app only from asar, encrypted cookies', () => {
    const config = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8');
    const fuses = /electronFuses:\n((?:\s{2}.+\n)+)/.exec(config)?.[1] ?? '';
    expect(fuses).toMatch(/runAsNode: false/);
    expect(fuses).toMatch(/onlyLoadAppFromAsar: true/);
    expect(fuses).toMatch(/enableCookieEncryption: true/);
    expect(fuses).toMatch(/enableNodeOptionsEnvironmentVariable: false/);
    expect(fuses).toMatch(/enableNodeCliInspectArguments: false/);
  });
});
