import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import type { EventEnvelope } from '@clinic/contracts';
import { cacheDependencies } from './dependencies';
import { ResponseCache } from './response-cache';

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../schema/api.graphql'), 'utf8'));
const NOW = Date.parse('2027-04-01T00:00:00Z');
const DAY = 86_400_000;
const DOCTOR = '6f1c7f5e-8d3b-4c53-9f37-1b7b3a1c0a01';
const CLINIC = '6f1c7f5e-8d3b-4c53-9f37-1b7b3a1c0a02';

const dependencies = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  cacheDependencies(schema, parse(query), operationName, variables, NOW);

describe('what a cached answer depends on', () => {
  it('caches nothing that selects a field the policy table does not list, at any depth or through a fragment', () => {
    // Slot → doctor → clinic is public all the way; an appointment, a patient or the audit trail is not.
    expect(dependencies('{ appointments { id } }')).toBeNull();
    expect(dependencies('{ me { clientId } }')).toBeNull();
    expect(dependencies('{ clinics { id } me { clientId } }')).toBeNull();
    expect(dependencies('{ auditTrail { id } }')).toBeNull();
    expect(dependencies('query { ...Mine } fragment Mine on Query { appointments { id } }')).toBeNull();
    expect(dependencies('{ ... on Query { me { clientId } } }')).toBeNull();
    expect(dependencies('{ clinics { id ...on Clinic { doctors { id } } } }')).toEqual([]);
  });

  it('caches queries only, never a mutation or a subscription', () => {
    expect(
      dependencies(
        'mutation { cancelAppointment(input: {appointmentId: "a", idempotencyKey: "k"}) { __typename } }',
      ),
    ).toBeNull();
    expect(dependencies('subscription { doctorStatusChanged(clinicId: "c") { doctorId } }')).toBeNull();
  });

  it('picks the named operation, and caches nothing when the name picks none', () => {
    const document = 'query A { clinics { id } } query B { me { clientId } }';
    expect(dependencies(document, {}, 'A')).toEqual([]);
    expect(dependencies(document, {}, 'B')).toBeNull();
    expect(dependencies(document, {}, 'C')).toBeNull();
    expect(dependencies(document)).toBeNull();
  });

  it("narrows a search to the doctor or clinic it names, over its days padded for any zone's offset", () => {
    const query = 'query($f: AvailableSlotsFilter!) { availableSlots(filter: $f) { edges { node { id } } } }';
    expect(
      dependencies(query, {
        f: { doctorId: DOCTOR, clinicId: CLINIC, fromDate: '2027-04-05', toDate: '2027-04-05' },
      }),
    ).toEqual([
      {
        subject: `doctor:${DOCTOR}`,
        from: Date.parse('2027-04-05T00:00:00Z') - DAY,
        to: Date.parse('2027-04-06T00:00:00Z') + DAY,
      },
    ]);
    expect(
      dependencies(query, { f: { clinicId: CLINIC, fromDate: '2027-04-05', toDate: '2027-04-06' } })?.[0]
        ?.subject,
    ).toBe(`clinic:${CLINIC}`);
    expect(dependencies(query, { f: { fromDate: '2027-04-05', toDate: '2027-04-06' } })?.[0]?.subject).toBe(
      '*',
    );
  });

  it("depends on any doctor's slots for a nested freeSlots, from now when no start is given", () => {
    expect(
      dependencies(`{ doctor(id: "${DOCTOR}") { freeSlots(days: 2) { id } clinic { doctors { name } } } }`),
    ).toEqual([{ subject: '*', from: NOW - DAY, to: NOW + 3 * DAY }]);
    expect(
      dependencies(
        `{ slot(id: "s1") { status doctor { name } } nextAvailableSlot(clinicId: "${CLINIC}") { id } }`,
      ),
    ).toEqual([
      { subject: 'slot:s1', from: -Infinity, to: Infinity },
      { subject: `clinic:${CLINIC}`, from: -Infinity, to: Infinity },
    ]);
  });

  it('drops an answer asked for by ids in capitals when their slot changes (PostgreSQL matches a uuid in any case)', () => {
    const SLOT = '6f1c7f5e-8d3b-4c53-9f37-1b7b3a1c0a03';
    const loud = (id: string) => id.toUpperCase();
    const asked = [
      [
        'query($f: AvailableSlotsFilter!) { availableSlots(filter: $f) { edges { node { id } } } }',
        { f: { doctorId: loud(DOCTOR), fromDate: '2027-04-05', toDate: '2027-04-05' } },
      ],
      [
        'query($f: AvailableSlotsFilter!) { availableSlots(filter: $f) { edges { node { id } } } }',
        { f: { clinicId: loud(CLINIC), fromDate: '2027-04-05', toDate: '2027-04-05' } },
      ],
      [
        'query($d: ID, $from: DateTime!, $to: DateTime!) { freeSlots(doctorId: $d, from: $from, to: $to) { id } }',
        { d: loud(DOCTOR), from: '2027-04-05T00:00:00Z', to: '2027-04-06T00:00:00Z' },
      ],
      [`{ nextAvailableSlot(clinicId: "${loud(CLINIC)}") { id } }`, {}],
      [`{ slot(id: "${loud(SLOT)}") { status } }`, {}],
    ] as const;
    const cache = new ResponseCache();
    cache.setContinuity(true);
    asked.forEach(([query, variables], index) => {
      const depends = dependencies(query, variables);
      expect(depends).not.toBeNull();
      cache.begin(`k${index}`, depends ?? []).settle({ v: index });
    });
    // Events carry ids as PostgreSQL writes them: in lower case.
    cache.apply({
      id: '6f1c7f5e-8d3b-4c53-9f37-1b7b3a1c0a04',
      type: 'slot.changed',
      occurredAt: '2027-04-01T00:00:00Z',
      aggregateId: SLOT,
      payload: {
        slotId: SLOT,
        doctorId: DOCTOR,
        clinicId: CLINIC,
        start: '2027-04-05T03:00:00Z',
        end: '2027-04-05T03:15:00Z',
        status: 'busy',
      },
    } as unknown as EventEnvelope);
    asked.forEach((_, index) => expect(cache.lookup(`k${index}`)).toBeUndefined());
  });

  it('reads times it cannot parse as any time at all', () => {
    const query = 'query($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to) { id } }';
    expect(dependencies(query, { from: 'soon', to: '2027-01-01T00:00:00Z' })).toEqual([
      { subject: '*', from: -Infinity, to: Infinity },
    ]);
  });
});
