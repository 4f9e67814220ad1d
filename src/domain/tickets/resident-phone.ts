/**
 * The residents' phone-code check, for other modules (民生微实事) that let a resident act
 * without an account: the same one-time codes that POST /api/v1/public/verification-codes sends
 * (public.ts), consumed under the same rules — 10 minutes, 5 attempts, used once.
 *
 * A new file so the check can be exported without touching public.ts; public.ts keeps its own
 * copy of the same rule (consumeCode) for ticket reports.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
import * as repo from './repo';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Consumes the code sent to `phone`; throws 400 (zh/en) when it is wrong, used up or expired. */
export async function consumeResidentPhoneCode(deps: { db: Db; clock: Clock; districtCode: string }, phone: string, code: string): Promise<void> {
  const ok = await deps.db.transaction(async (tx) => {
    const v = await repo.findVerification(tx, deps.districtCode, sha(phone));
    if (!v || new Date(v.expires_at).getTime() < deps.clock().getTime() || v.attempts >= 5) return false;
    if (v.code_hash !== sha(`${phone}:${code}`)) {
      await repo.countVerificationAttempt(tx, deps.districtCode, sha(phone));
      return false;
    }
    await repo.deleteVerification(tx, deps.districtCode, sha(phone));
    return true;
  });
  if (!ok) throw new AppError('validation_failed', { zh: '验证码错误或已过期', en: 'The code is wrong or has expired' });
}
