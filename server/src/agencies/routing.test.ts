import { describe, expect, it } from 'vitest';
import { placementProblem } from './placement.ts';
import { chooseUnit } from './routing.ts';
import type { Unit } from './store.ts';

let nextId = 1;
function unit(kind: Unit['kind'], parent: Unit | null, place: { provinceId?: number; countyId?: number } = {}): Unit {
  const id = nextId++;
  return {
    id,
    code: `U${id}`,
    parentId: parent?.id ?? null,
    kind,
    nameFa: `واحد ${id}`,
    nameEn: '',
    provinceId: place.provinceId ?? null,
    countyId: place.countyId ?? null,
    path: `${parent?.path ?? '/'}${id}/`,
    depth: (parent?.depth ?? 0) + 1,
    active: true,
    inspectionHeadId: null,
  };
}

describe('routing rule', () => {
  const ministry = unit('ministry', null);
  const organisation = unit('organisation', ministry);
  const directorate = unit('provincial_directorate', organisation, { provinceId: 13 });
  const office = unit('county_office', directorate, { provinceId: 13, countyId: 130 });
  const otherOffice = unit('county_office', directorate, { provinceId: 13, countyId: 131 });

  it('1. a picked county office is the unit itself', () => {
    expect(chooseUnit(office, [], 131)).toBe(office);
  });

  it('2. the county office for the complaint’s county wins', () => {
    expect(chooseUnit(organisation, [directorate, office, otherOffice], 130)).toBe(office);
    expect(chooseUnit(ministry, [directorate, otherOffice, office], 131)).toBe(otherOffice);
  });

  it('3. without a county office there, the provincial directorate', () => {
    expect(chooseUnit(organisation, [directorate], 132)).toBe(directorate);
    expect(chooseUnit(organisation, [directorate, office], null)).toBe(directorate);
  });

  it('4. with nothing local, the picked agency itself', () => {
    expect(chooseUnit(organisation, [], 130)).toBe(organisation);
  });

  it('the nearest candidate of a kind wins, then the oldest', () => {
    const deepDirectorate = unit('provincial_directorate', unit('organisation', organisation), { provinceId: 13 });
    expect(chooseUnit(organisation, [deepDirectorate, directorate], null)).toBe(directorate);
  });
});

describe('tree placement', () => {
  const ministry = { kind: 'ministry' as const, provinceId: null, active: true };
  const directorate = { kind: 'provincial_directorate' as const, provinceId: 13, active: true };
  it('allows the four-level shape', () => {
    expect(placementProblem('ministry', null, null, null)).toBeNull();
    expect(placementProblem('organisation', ministry, null, null)).toBeNull();
    expect(placementProblem('organisation', null, null, null)).toBeNull();
    expect(placementProblem('provincial_directorate', ministry, 13, null)).toBeNull();
    expect(placementProblem('county_office', directorate, 13, 130)).toBeNull();
    expect(placementProblem('county_office', ministry, 13, 130)).toBeNull();
  });
  it('refuses what does not fit', () => {
    expect(placementProblem('ministry', ministry, null, null)).toMatch(/no parent/);
    expect(placementProblem('provincial_directorate', null, 13, null)).toMatch(/needs a parent/);
    expect(placementProblem('provincial_directorate', directorate, 13, null)).toMatch(/under a ministry/);
    expect(placementProblem('county_office', directorate, 14, 140)).toMatch(/province/);
    expect(placementProblem('county_office', directorate, 13, null)).toMatch(/needs a county/);
    expect(placementProblem('ministry', null, 13, null)).toMatch(/national/);
    expect(placementProblem('organisation', { ...ministry, active: false }, null, null)).toMatch(/inactive/);
  });
});
