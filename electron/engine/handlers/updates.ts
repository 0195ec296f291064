import { ParleyError, type UpdateStatus } from '../../contracts';
import type { EngineContext, Handler } from './types';

/** The app updating itself: the desktop host does it; elsewhere the status says so. */
export function updateHandlers(ctx: EngineContext): {
  'updates.status': Handler<'updates.status'>;
  'updates.check': Handler<'updates.check'>;
  'updates.setCheckOnStart': Handler<'updates.setCheckOnStart'>;
  'updates.install': Handler<'updates.install'>;
} {
  const notHere: UpdateStatus = {
    available: false,
    checkOnStart: false,
    state: 'unavailable',
    currentVersion: ctx.info.version,
    version: null,
    releaseNotes: null,
    percent: null,
    detail: 'This Parley does not update itself: the desktop app does; update a server installation with its package manager or git',
    checkedAt: null,
  };
  const updates = () => {
    if (!ctx.updates) throw new ParleyError('unavailable', notHere.detail);
    return ctx.updates;
  };
  return {
    'updates.status': async () => ctx.updates?.status() ?? notHere,
    'updates.check': async () => updates().check(),
    'updates.setCheckOnStart': async ({ enabled }, actor) => {
      const status = await updates().setCheckOnStart(enabled);
      ctx.audit.record(actor, 'settings.change', 'updates.checkOnStart', { enabled });
      return status;
    },
    'updates.install': async () => updates().install(),
  };
}
