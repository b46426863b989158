import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType } from 'graphql';
import {
  ACCESS,
  ACCESS_RULES,
  CACHEABLE_FIELDS,
  CALLERS,
  decide,
  isRootCoordinate,
  POLICY_TABLE,
  policyRow,
  renderPolicyMarkdown,
} from './policy-table';

const repo = path.resolve(__dirname, '../../..');

describe('the policy table', () => {
  it('docs/policy.md is rendered from it (run `npm run docs` if this fails)', () => {
    expect(readFileSync(path.join(repo, 'docs/policy.md'), 'utf8')).toBe(renderPolicyMarkdown());
  });

  it('has a row for every operation of the public API, and every row names a real field', () => {
    const api = buildSchema(readFileSync(path.join(repo, 'schema/api.graphql'), 'utf8'));
    const operations = ['Query', 'Mutation', 'Subscription'].flatMap((root) => {
      const type = api.getType(root);
      return type && isObjectType(type) ? Object.keys(type.getFields()).map((f) => `${root}.${f}`) : [];
    });
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((coordinate) => !policyRow(coordinate))).toEqual([]);
    const unknown = POLICY_TABLE.filter(({ coordinate }) => {
      const [type, field] = coordinate.split('.') as [string, string];
      const named = api.getType(type);
      return !(named && isObjectType(named) && named.getFields()[field]);
    });
    expect(unknown.map(({ coordinate }) => coordinate)).toEqual([]);
  });

  it('lets the cache hold only real fields every caller may read alike', () => {
    const api = buildSchema(readFileSync(path.join(repo, 'schema/api.graphql'), 'utf8'));
    for (const coordinate of CACHEABLE_FIELDS) {
      const [type, field] = coordinate.split('.') as [string, string];
      const named = api.getType(type);
      expect(
        named && isObjectType(named) && named.getFields()[field]
          ? coordinate
          : `${coordinate} (no such field)`,
      ).toBe(coordinate);
      // A root field anyone may use, or an object field no row protects: the answer cannot depend on who asks.
      for (const caller of CALLERS)
        expect(`${coordinate}: ${decide(caller, coordinate)}`).toBe(`${coordinate}: allow`);
      expect(coordinate.startsWith('Mutation.') || coordinate.startsWith('Subscription.')).toBe(false);
    }
    for (const personal of [
      'Query.me',
      'Query.appointments',
      'Appointment.patient',
      'Patient.profile',
      'Query.auditTrail',
    ])
      expect(CACHEABLE_FIELDS.has(personal)).toBe(false);
  });

  it('says what own and clinic mean wherever a row uses them, and lists each coordinate once', () => {
    for (const row of POLICY_TABLE) {
      const cells = CALLERS.map((caller) => row.access[caller]);
      for (const cell of cells) expect(ACCESS).toContain(cell);
      if (cells.includes('own')) expect(row.own).toBeTruthy();
      if (cells.includes('clinic')) expect(row.clinic).toBeTruthy();
      // A caller without a token has no own data and no clinic.
      expect(['allow', 'deny']).toContain(row.access.Anonymous);
    }
    expect(new Set(POLICY_TABLE.map((row) => row.coordinate)).size).toBe(POLICY_TABLE.length);
  });

  it('points every own and clinic row at the one access file of the service that scopes it', () => {
    for (const row of POLICY_TABLE) {
      const scoped = CALLERS.some((caller) => ['own', 'clinic'].includes(row.access[caller]));
      if (scoped) expect(Object.values(ACCESS_RULES)).toContain(row.rules);
      else expect(row.rules).toBeUndefined();
    }
    for (const file of Object.values(ACCESS_RULES)) expect(existsSync(path.join(repo, file))).toBe(true);
  });

  it('decides by the table, denies an operation it does not list, and leaves unlisted fields alone', () => {
    expect(decide('Patient', 'Query.appointments')).toBe('own');
    expect(decide('Anonymous', 'Query.appointments')).toBe('deny');
    expect(decide('ClinicAdmin', 'Patient.profile')).toBe('clinic');
    expect(decide('SystemAdministrator', 'Patient.profile')).toBe('deny');
    expect(decide('SystemAdministrator', 'Query.noSuchOperation')).toBe('deny');
    expect(decide('Patient', 'Slot.start')).toBe('allow');
    expect(isRootCoordinate('Subscription.myAppointmentUpdates')).toBe(true);
    expect(isRootCoordinate('Appointment.history')).toBe(false);
  });
});
