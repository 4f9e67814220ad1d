import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { findProjectItem } from './index';

describe('findProjectItem', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb({ seed: false });
  });
  afterAll(() => t.cleanup());

  it('finds nothing for an unknown or malformed id', async () => {
    expect(await findProjectItem(t.db, '370202', '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await findProjectItem(t.db, '370202', 'not-a-uuid')).toBeNull();
  });
});
