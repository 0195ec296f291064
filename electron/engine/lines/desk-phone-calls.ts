import { roleAtLeast } from '../../contracts';
import type { AccessService } from '../access/access-service';
import type { AuditLog } from '../access/audit-log';
import type { DncRepository } from '../contacts/dnc-repository';
import type { Logger } from '../logging';
import type { DeskPhoneCall, DeskPhoneVerdict } from '../ports/telephony';

/**
 * Whether a desk agent's own phone may call a number (click-to-call): the phone's identity must be a
 * current user who may take calls (desk agent or above), and the number must not be on the
 * do-not-call list, as for every call Parley places. Each call that goes out is in the audit log.
 */
export function deskPhoneCalls(deps: { access: AccessService; dnc: DncRepository; audit: AuditLog; logger: Logger }): (call: DeskPhoneCall) => Promise<DeskPhoneVerdict> {
  return async (call) => {
    const user = deps.access.users.list().find((u) => u.id === call.identity);
    if (!user || !roleAtLeast(user.role, 'supervisor')) {
      deps.logger.warn({ lineId: call.lineId, callSid: call.callSid }, 'a desk phone call from an identity that is not a desk agent was refused');
      return { allowed: false, reason: 'This phone is not signed in as a desk agent.' };
    }
    if (await deps.dnc.find(call.to)) {
      deps.audit.record({ username: user.username, userId: user.id, origin: 'desk-phone' }, 'phone.call', call.to, { lineId: call.lineId, callSid: call.callSid, refused: 'do-not-call' });
      return { allowed: false, reason: 'This number is on the do-not-call list. The call was not placed.' };
    }
    deps.audit.record({ username: user.username, userId: user.id, origin: 'desk-phone' }, 'phone.call', call.to, { lineId: call.lineId, callSid: call.callSid });
    return { allowed: true };
  };
}
