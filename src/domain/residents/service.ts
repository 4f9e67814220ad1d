/**
 * 人口信息 use cases: authorize (role and area scope), transact, audit. Identifiers are
 * encrypted here (pii.ts) before they reach repo.ts; views mask them.
 */
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
import { assertCan, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import type { PiiVault } from './pii';
import * as repo from './repo';
import type { PersonRec, Registry } from './core/registry';
import { maskIdNumber, maskPhoneNumber } from './core/id-number';

export interface ResidentsDeps {
  db: Db;
  clock: Clock;
  pii: PiiVault | null;
}

export function vaultOf(deps: Pick<ResidentsDeps, 'pii'>): PiiVault {
  if (!deps.pii) {
    throw new AppError('internal', {
      zh: '未配置个人信息加密密钥（MINSHENG_PII_KEY）',
      en: 'The personal-data key is not configured (MINSHENG_PII_KEY)',
    });
  }
  return deps.pii;
}

/** Encrypts, indexes and masks a person's identifiers for storage. */
export function protectPerson(vault: PiiVault, p: PersonRec): repo.StoredPerson {
  return {
    id: p.id,
    name: p.name,
    idNumberEnc: vault.encrypt(p.idNumber),
    idNumberHmac: vault.blindIndex('id_number', p.idNumber),
    idNumberMasked: maskIdNumber(p.idNumber),
    phoneEnc: p.phone ? vault.encrypt(p.phone) : null,
    phoneHmac: p.phone ? vault.blindIndex('phone', p.phone) : null,
    phoneMasked: p.phone ? maskPhoneNumber(p.phone) : null,
    birthDate: p.birthDate,
    sex: p.sex,
    registeredFrom: p.registeredFrom,
    movedOutOn: p.movedOutOn,
    diedOn: p.diedOn,
    areaPath: p.areaPath,
  };
}

/**
 * Stores a generated demo registry (replacing any earlier demo registry of the district) in one
 * transaction, audited. `onProgress` counts rows written.
 */
export async function storeDemoRegistry(
  deps: ResidentsDeps,
  actor: AnyActor,
  reg: Registry,
  options: { replace: boolean; onProgress?: (rowsWritten: number, rowsTotal: number) => void } = { replace: true },
): Promise<{ persons: number; households: number; buildings: number }> {
  assertCan(actor, 'residents.manage', `/${actor.districtCode}/`);
  const vault = vaultOf(deps);
  const total =
    reg.buildings.length + reg.households.length + reg.persons.length * 2 + reg.versions.length + reg.memberships.length +
    reg.incomes.length + reg.statuses.length + reg.receipts.length;
  let written = 0;
  const persons = reg.persons.map((p, i) => {
    if (i % 10_000 === 0) options.onProgress?.(written + i, total);
    return protectPerson(vault, p);
  });
  written = reg.persons.length;
  const result = await deps.db.transaction(async (tx) => {
    if (options.replace) await repo.deleteDemoRegistry(tx, actor.districtCode);
    await repo.insertRegistry(tx, actor.districtCode, { ...reg, persons }, true, (n) => {
      written += n;
      options.onProgress?.(written, total);
    });
    await recordAudit(tx, deps.clock, actor, {
      action: 'residents.generate_demo',
      targetType: 'district',
      targetId: actor.districtCode,
      detail: { persons: reg.persons.length, households: reg.households.length, buildings: reg.buildings.length },
    });
    return { persons: reg.persons.length, households: reg.households.length, buildings: reg.buildings.length };
  });
  await repo.analyzeRegistry(deps.db);
  return result;
}

export { factsAt, factsSql, factsBySql } from './repo';
export type { Queryable };
