/**
 * The composition root: builds every dependency once from the validated configuration.
 * The HTTP server, the CLI and the tests all start here.
 */
import { mkdir } from 'node:fs/promises';
import { openDb, type Db } from '../shared/db';
import { migrate } from '../shared/db/migrate';
import { systemClock, type Clock } from '../shared/clock';
import { LocatorCache } from '../domain/areas';
import { AttemptWindow, SessionCache, type accessService } from '../domain/access';
import { LoggingSmsSender, type SmsSender } from '../domain/tickets';
import { pointsPopulationSource, type PopulationSource } from '../domain/facilities';
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
  /** 服务圈: where people live. The resident registry plugs in here: firstNonEmpty(registrySource, pointsPopulationSource). */
  facilityPopulation: PopulationSource;
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
  config: Pick<Config, 'districtCode' | 'sessionTtlMs' | 'secureCookies' | 'basemapTileUrl'> & Partial<Pick<Config, 'sensorSecret' | 'publicBaseUrl'>>,
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
    facilityPopulation: pointsPopulationSource,
  };
}

export { migrate };
