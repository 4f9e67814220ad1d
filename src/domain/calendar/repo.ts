/** All SQL of the calendar module: a district's overrides of the national arrangement. */
import type { Queryable } from '../../shared/db';
import type { OverrideKind } from './contract';

export interface OverrideRow {
  date: string;
  kind: OverrideKind;
  name: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

// The date leaves the database as text: a `date` must not pass through a JavaScript Date and a
// time zone on its way out.
const COLUMNS = `to_char(date, 'YYYY-MM-DD') AS date, kind, name, created_at, updated_at`;

export async function listOverrides(q: Queryable, districtCode: string, year?: number): Promise<OverrideRow[]> {
  if (year === undefined) {
    return q.query<OverrideRow & Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM calendar_overrides WHERE district_code = $1 ORDER BY date`,
      [districtCode],
    );
  }
  return q.query<OverrideRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM calendar_overrides
      WHERE district_code = $1 AND date >= make_date($2::int, 1, 1) AND date < make_date($2::int + 1, 1, 1)
      ORDER BY date`,
    [districtCode, year],
  );
}

export async function findOverrideForUpdate(q: Queryable, districtCode: string, date: string): Promise<OverrideRow | undefined> {
  const rows = await q.query<OverrideRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM calendar_overrides WHERE district_code = $1 AND date = $2::date FOR UPDATE`,
    [districtCode, date],
  );
  return rows[0];
}

export async function upsertOverride(
  q: Queryable,
  o: { districtCode: string; date: string; kind: OverrideKind; name: string | null; at: Date },
): Promise<OverrideRow> {
  const rows = await q.query<OverrideRow & Record<string, unknown>>(
    `INSERT INTO calendar_overrides AS o (district_code, date, kind, name, created_at, updated_at)
     VALUES ($1, $2::date, $3, $4, $5, $5)
     ON CONFLICT (district_code, date) DO UPDATE
       SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}`,
    [o.districtCode, o.date, o.kind, o.name, o.at],
  );
  return rows[0]!;
}
