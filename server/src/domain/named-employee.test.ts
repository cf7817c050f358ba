import { describe, expect, it } from 'vitest';
import { namedEmployeeDigest, parseNamedEmployee } from './named-employee.ts';

const key = (input: string) => {
  const parsed = parseNamedEmployee(input);
  if (!parsed.ok) throw new Error(`${input}: ${parsed.problem}`);
  return parsed.value.key;
};

describe('named employee', () => {
  it('groups the ways one surname is written: titles, ي/ئ/ی, spaces', () => {
    const variants = ['آقای رضائی', 'رضايي', '  رضایی ', 'جناب آقای دکتر رضایی', 'رضایی.', '«رضـایی»', 'رِضایی'];
    expect(new Set(variants.map(key))).toEqual(new Set(['رضایی']));
  });

  it('removes the listed titles, Persian and English, in front of the name', () => {
    expect(key('سرکار خانم احمدی')).toBe(key('احمدی'));
    expect(key('خانم مهندس احمدی')).toBe(key('احمدی'));
    expect(key('Mr. John Smith')).toBe('johnsmith');
    expect(key('Dr John SMITH')).toBe('johnsmith');
    expect(key('Mrs Smith')).toBe(key('ms smith'));
    // «سرکار» alone is not a title.
    expect(key('سرکار احمدی')).not.toBe(key('احمدی'));
  });

  it('takes titles only as whole words in front: a surname that begins like one keeps it', () => {
    expect(key('آقا\u200cزاده')).toBe(key('آقازاده'));
    expect(key('آقا\u200cزاده')).not.toBe(key('زاده'));
    expect(key('آقابابایی')).toBe('اقابابایی');
    expect(key('آقای آقابابایی')).toBe('اقابابایی');
    expect(key('رضایی دکتر')).not.toBe(key('رضایی'));
  });

  it('counts characters as the database does (a letter outside the basic plane is one)', () => {
    expect(parseNamedEmployee('\u{20000}')).toEqual({ ok: false, problem: 'too_short' });
    expect(parseNamedEmployee('\u{20000}'.repeat(120)).ok).toBe(true);
    expect(parseNamedEmployee('\u{20000}'.repeat(121))).toEqual({ ok: false, problem: 'too_long' });
  });

  it('treats a space, a ZWNJ and nothing between name parts alike, and unifies digits', () => {
    expect(key('محمدرضا کریمی')).toBe(key('محمد رضا کريمي'));
    expect(key('رضایی‌نژاد')).toBe(key('رضایی نژاد'));
    expect(key('مسئول باجهٔ ۳')).toBe(key('مسئول باجه 3'));
    expect(key('مسئول باجهٔ ۳')).toBe(key('مسؤول باجه ٣'));
  });

  it('keeps what the citizen wrote, tidied, for display', () => {
    const parsed = parseNamedEmployee('  آقاي   رضائي \n');
    expect(parsed).toEqual({ ok: true, value: { text: 'آقای رضائی', key: 'رضایی', salt: expect.stringMatching(/^[0-9a-f]{32}$/) } });
  });

  it('refuses a title alone, one letter, and more than 120 characters', () => {
    expect(parseNamedEmployee('آقای')).toEqual({ ok: false, problem: 'only_a_title' });
    expect(parseNamedEmployee('سرکار خانم')).toEqual({ ok: false, problem: 'only_a_title' });
    expect(parseNamedEmployee('ر')).toEqual({ ok: false, problem: 'too_short' });
    expect(parseNamedEmployee(' ... ')).toEqual({ ok: false, problem: 'too_short' });
    expect(parseNamedEmployee('   ')).toEqual({ ok: false, problem: 'too_short' });
    expect(parseNamedEmployee('ب'.repeat(121))).toEqual({ ok: false, problem: 'too_long' });
    expect(parseNamedEmployee(`آقای ${'ب'.repeat(118)}`)).toEqual({ ok: false, problem: 'too_long' });
    expect(parseNamedEmployee('ب'.repeat(120)).ok).toBe(true);
  });

  it('digests a name per complaint and per salt, and nothing for none', () => {
    const value = { text: 'آقای رضایی', key: 'رضایی', salt: '00112233445566778899aabbccddeeff' };
    expect(namedEmployeeDigest('a', value)).toMatch(/^[0-9a-f]{64}$/);
    expect(namedEmployeeDigest('a', value)).toBe(namedEmployeeDigest('a', { ...value }));
    expect(namedEmployeeDigest('a', value)).not.toBe(namedEmployeeDigest('b', value));
    expect(namedEmployeeDigest('a', value)).not.toBe(namedEmployeeDigest('a', { ...value, text: 'رضایی' }));
    // Without the salt, guessing the name does not give the digest back.
    expect(namedEmployeeDigest('a', value)).not.toBe(namedEmployeeDigest('a', { ...value, salt: 'ffeeddccbbaa99887766554433221100' }));
    expect(namedEmployeeDigest('a', null)).toBeNull();
  });

  it('draws a fresh salt each time a name is read', () => {
    const a = parseNamedEmployee('آقای رضایی');
    const b = parseNamedEmployee('آقای رضایی');
    expect(a.ok && b.ok && a.value.salt !== b.value.salt).toBe(true);
  });
});
