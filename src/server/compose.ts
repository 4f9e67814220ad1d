/**
 * The composition root: builds every dependency once from the validated configuration.
 * The HTTP server, the CLI and the tests all start here.
 */
import { mkdir } from 'node:fs/promises';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../shared/db';
import { migrate } from '../shared/db/migrate';
import { systemClock, type Clock } from '../shared/clock';
import { LocatorCache } from '../domain/areas';
import { AttemptWindow, SessionCache, type accessService } from '../domain/access';
import { LoggingSmsSender, type SmsSender } from '../domain/tickets';
import { TextAnalyzerCache } from '../domain/analysis';
import { PiiVault, residentsService } from '../domain/residents';
import type { PeopleLookup } from '../domain/benefits';
import { firstNonEmpty, pointsPopulationSource, registryPopulationSource, type PopulationSource } from '../domain/facilities';
import type { Config } from './config';

export interface Deps {
  db: Db;
  clock: Clock;
  districtCode: string;
  locators: LocatorCache;
  loginAttempts: AttemptWindow;
  sessionCache: SessionCache<accessService.SessionEntry>;
  sessionTtlMs: number;
  secureCookies: boolean;
  basemapTileUrl: string | null;
  sms: SmsSender;
  sensorSecret: string | null;
  publicBaseUrl: string;
  textAnalyzers: TextAnalyzerCache;
  pii: PiiVault | null;
  /**
   * 服务圈: where people live — imported population points (census or per-grid counts, or the demo
   * district's generated population) when the district has them, else the resident registry.
   */
  facilityPopulation: PopulationSource;
  /** 政策找人: names and places of the persons on worklists and 公示 lists, from the registry. */
  people: PeopleLookup;
}

export async function openDatabase(config: Pick<Config, 'database'>): Promise<Db> {
  if (config.database.engine === 'pglite') {
    await mkdir(config.database.dataDir, { recursive: true });
    return openDb({ engine: 'pglite', dataDir: config.database.dataDir });
  }
  return openDb({ engine: 'postgresql', url: config.database.url, poolSize: config.database.poolSize });
}

export function composeDeps(
  db: Db,
  config: Pick<Config, 'districtCode' | 'sessionTtlMs' | 'secureCookies' | 'basemapTileUrl'> &
    Partial<Pick<Config, 'sensorSecret' | 'publicBaseUrl' | 'piiKey' | 'piiKeyFile'>>,
  clock: Clock = systemClock,
): Deps {
  return {
    db,
    clock,
    districtCode: config.districtCode,
    locators: new LocatorCache(),
    loginAttempts: new AttemptWindow(),
    sessionCache: new SessionCache(),
    sessionTtlMs: config.sessionTtlMs,
    secureCookies: config.secureCookies,
    basemapTileUrl: config.basemapTileUrl,
    // Development: codes are written to the log. A deployment plugs its SMS gateway in here.
    sms: new LoggingSmsSender((line) => process.stderr.write(`${line}\n`)),
    sensorSecret: config.sensorSecret ?? null,
    publicBaseUrl: config.publicBaseUrl ?? 'http://localhost:8080',
    textAnalyzers: new TextAnalyzerCache(),
    pii: piiVault(config),
    facilityPopulation: firstNonEmpty(pointsPopulationSource, registryPopulationSource(() => new Date(clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10))),
    people: (q, districtCode, ids) => residentsService.personCards(q, districtCode, ids, new Date(clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10)),
  };
}

/**
 * The personal-data key (ADR 0020): MINSHENG_PII_KEY, or else a key file in the data directory
 * (outside the database), created with mode 600 on first use. Neither: no vault (the registry
 * refuses to store identifiers).
 */
export function piiVault(config: Partial<Pick<Config, 'piiKey' | 'piiKeyFile'>>): PiiVault | null {
  if (config.piiKey) return PiiVault.fromText(config.piiKey);
  if (!config.piiKeyFile) return null;
  if (!existsSync(config.piiKeyFile)) {
    mkdirSync(path.dirname(config.piiKeyFile), { recursive: true });
    writeFileSync(config.piiKeyFile, `${PiiVault.generateKeyText()}\n`, { mode: 0o600, flag: 'wx' });
  }
  return PiiVault.fromText(readFileSync(config.piiKeyFile, 'utf8'));
}

export { migrate };
