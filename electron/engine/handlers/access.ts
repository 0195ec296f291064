import { ParleyError } from '../../contracts';
import { verifyPassword } from '../access/passwords';
import type { CommandHandlers, EngineContext } from './types';

type AccessCommand = 'sharing.status' | 'sharing.start' | 'sharing.stop' | 'session.me' | 'session.changePassword' | 'users.list' | 'users.add' | 'users.update' | 'users.remove' | 'users.setPassword' | 'audit.list' | 'audit.exportCsv';

/** Accounts (admin), one's own session and password, and the audit log (admin). */
export function accessHandlers(ctx: EngineContext): Pick<CommandHandlers, AccessCommand> {
  const { access, audit } = ctx;
  const notShared = { running: false, url: null, tlsFingerprint: null, available: false };
  const sharing = () => {
    if (!ctx.sharing) throw new ParleyError('unavailable', 'Sharing is for the desktop app; parley serve already serves the office');
    return ctx.sharing;
  };
  return {
    'sharing.status': async () => ctx.sharing?.status() ?? notShared,
    'sharing.start': async (request, actor) => {
      const status = await sharing().start(request);
      audit.record(actor, 'sharing.change', 'share-with-office', { running: true, url: status.url });
      return status;
    },
    'sharing.stop': async (_request, actor) => {
      const status = await sharing().stop();
      audit.record(actor, 'sharing.change', 'share-with-office', { running: false });
      return status;
    },
    'session.me': async (_request, actor) => access.users.view(access.users.require(actor.userId)),
    'session.changePassword': async ({ current, password }, actor) => {
      const row = access.users.require(actor.userId);
      if (row.password_hash !== null && !(current !== undefined && (await verifyPassword(row.password_hash, current)))) {
        throw new ParleyError('forbidden', 'The current password is wrong');
      }
      await access.setPassword(actor.userId, password);
      audit.record(actor, 'user.password', `user:${row.username}`, { self: true });
      return { changed: true };
    },
    'users.list': async () => access.users.list().map((row) => access.users.view(row)),
    'users.add': async ({ username, displayName, password, role, campaignIds }, actor) => {
      const user = await access.addUser({ username, displayName, password, role, campaignIds });
      audit.record(actor, 'user.add', `user:${user.username}`, { role, campaignIds });
      return user;
    },
    'users.update': async ({ id, displayName, role, campaignIds }, actor) => {
      const user = access.updateUser(id, { displayName, role, campaignIds });
      audit.record(actor, 'user.update', `user:${user.username}`, { displayName, role, campaignIds });
      return user;
    },
    'users.remove': async ({ id }, actor) => {
      const row = access.users.require(id);
      if (row.id === actor.userId) throw new ParleyError('conflict', 'You cannot remove your own account');
      access.removeUser(id);
      audit.record(actor, 'user.remove', `user:${row.username}`, {});
      return { id };
    },
    'users.setPassword': async ({ id, password }, actor) => {
      const user = await access.setPassword(id, password);
      audit.record(actor, 'user.password', `user:${user.username}`, {});
      return user;
    },
    'audit.list': async (request) => audit.list(request),
    'audit.exportCsv': async (request, actor) => {
      const file = audit.exportCsv(request);
      audit.record(actor, 'export', 'audit', { rows: file.rows });
      return file;
    },
  };
}
