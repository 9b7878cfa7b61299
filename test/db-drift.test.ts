// The migrated database must match prisma/schema.prisma exactly: tables, columns, types,
// nullability and unique indexes. Editing one without the other fails here.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatamodel } from '../src/db/generated/pothos-types.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'int4',
  BigInt: 'int8',
  Boolean: 'bool',
  DateTime: 'timestamp',
  Bytes: 'bytea',
  Json: 'jsonb',
  Float: 'float8',
};
const NATIVE_TYPES: Record<string, string> = { Uuid: 'uuid', Timestamptz: 'timestamptz', Text: 'text', Integer: 'int4', JsonB: 'jsonb' };

/** Native type attributes (@db.X) per model field, read from the schema text. */
function nativeTypes(): Map<string, string> {
  const text = readFileSync(new URL('../prisma/schema.prisma', import.meta.url), 'utf8');
  const result = new Map<string, string>();
  for (const block of text.matchAll(/model (\w+) \{([\s\S]*?)\n\}/g)) {
    for (const line of block[2]!.split('\n')) {
      const m = /^\s*(\w+)\s+\S+.*@db\.(\w+)/.exec(line);
      if (m) result.set(`${block[1]}.${m[1]}`, NATIVE_TYPES[m[2]!] ?? m[2]!.toLowerCase());
    }
  }
  return result;
}

interface Column {
  table_name: string;
  column_name: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('migrations', () => {
  it('match the Prisma schema: every model, column, type, nullability and unique index', async () => {
    const { models } = getDatamodel().datamodel;
    const native = nativeTypes();
    const enums = new Set(
      (await t.app.db.query<{ typname: string }>(`SELECT typname FROM pg_type WHERE typtype = 'e'`)).map((r) => r.typname),
    );
    const expected: string[] = [];
    const expectedUniques: string[] = [];
    for (const [model, { fields, uniqueIndexes, primaryKey }] of Object.entries(models)) {
      for (const f of fields) {
        if (f.kind === 'object') continue;
        let type = native.get(`${model}.${f.name}`) ?? (f.kind === 'enum' ? f.type : SCALAR_TYPES[f.type]);
        if (f.kind === 'enum') expect(enums.has(f.type), `enum type ${f.type}`).toBe(true);
        if (f.isList) type = `_${type}`;
        expected.push(`${model}.${f.name} ${type} ${f.isRequired ? 'NOT NULL' : 'NULL'}`);
        if (f.isUnique || f.isId) expectedUniques.push(`${model}(${f.name})`);
      }
      for (const u of uniqueIndexes) expectedUniques.push(`${model}(${u.fields.join(',')})`);
      if (primaryKey) expectedUniques.push(`${model}(${primaryKey.fields.join(',')})`);
    }

    const columns = await t.app.db.query<Column>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = columns.map((c) => `${c.table_name}.${c.column_name} ${c.udt_name} ${c.is_nullable === 'NO' ? 'NOT NULL' : 'NULL'}`);
    expect(actual.sort()).toEqual(expected.sort());

    const uniques = await t.app.db.query<{ table: string; columns: string }>(
      `SELECT t.relname AS table, string_agg(a.attname, ',' ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE i.indisunique AND n.nspname = 'public' AND t.relname <> '_prisma_migrations'
       GROUP BY i.indexrelid, t.relname`,
    );
    expect(uniques.map((u) => `${u.table}(${u.columns})`).sort()).toEqual(expectedUniques.sort());
  });

  it('are recorded and idempotent: a second run applies nothing', async () => {
    expect(await migrate(t.app.db)).toEqual([]);
    const rows = await t.app.db.query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations"`);
    expect(rows.map((r) => r.migration_name).sort()).toEqual(readMigrations().map((m) => m.name));
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it('refuse to run when an applied migration was edited', async () => {
    const [first, ...rest] = readMigrations();
    await expect(migrate(t.app.db, [{ ...first!, checksum: 'edited' }, ...rest])).rejects.toThrow(/was changed after it was applied/);
  });

  it('roll back a failing migration whole, leaving nothing half-applied', async () => {
    const broken = { name: '99990101000000_broken', sql: 'CREATE TABLE "Half" (id int); SELECT no_such_function();', checksum: 'x'.repeat(64) };
    await expect(migrate(t.app.db, [...readMigrations(), broken])).rejects.toThrow(/99990101000000_broken failed/);
    const tables = await t.app.db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`);
    expect(tables).toEqual([]);
  });

  it('keep the audit log append-only', async () => {
    await t.app.prisma.tenant.create({ data: { name: 'x', wrappedDataKey: new Uint8Array([1]), masterKeyVersion: 1 } });
    const event = await t.app.prisma.auditEvent.create({ data: { actor: 'system', action: 'probe' } });
    await expect(t.app.prisma.auditEvent.update({ where: { id: event.id }, data: { action: 'rewritten' } })).rejects.toThrow();
  });
});
