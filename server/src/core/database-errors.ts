import type { ErrorCode } from './errors.ts';

/**
 * PostgreSQL errors that mean "the caller sent something the data cannot hold" or "someone else
 * changed it at the same time", by SQLSTATE — each a 4xx, never a 500 (issue 11). Anything not
 * listed stays a 500: it is our fault and must be logged.
 */
const BY_SQLSTATE: Record<string, { code: ErrorCode; reason: string }> = {
  '22001': { code: 'validation_failed', reason: 'a text is longer than the database allows' },
  '22003': { code: 'validation_failed', reason: 'a number is out of range' },
  '22007': { code: 'validation_failed', reason: 'a date or time is not valid' },
  '22008': { code: 'validation_failed', reason: 'a date or time is out of range' },
  '2201X': { code: 'validation_failed', reason: 'a paging value is out of range' },
  '22012': { code: 'validation_failed', reason: 'a value leads to a division by zero' },
  '22021': { code: 'validation_failed', reason: 'text the database cannot store' },
  '22023': { code: 'validation_failed', reason: 'a parameter value is not valid' },
  '2202E': { code: 'validation_failed', reason: 'an array index is out of range' },
  '22P02': { code: 'validation_failed', reason: 'text the database cannot store' },
  '22P05': { code: 'validation_failed', reason: 'text the database cannot store' },
  '22004': { code: 'validation_failed', reason: 'a required value is missing' },
  '23502': { code: 'validation_failed', reason: 'a required value is missing' },
  '23514': { code: 'validation_failed', reason: 'a value breaks a rule of the data' },
  '23P01': { code: 'duplicate', reason: 'it overlaps an existing entry' },
  '23505': { code: 'duplicate', reason: 'it already exists' },
  '23503': { code: 'unknown_reference', reason: 'it refers to something that does not exist' },
  '40001': { code: 'try_again', reason: 'a concurrent change' },
  '40P01': { code: 'try_again', reason: 'a concurrent change' },
  '54000': { code: 'validation_failed', reason: 'a value is too large for the database' },
};

function sqlState(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** The client error a database error stands for, or null when it is a server fault. */
export function clientErrorOf(error: unknown): { code: ErrorCode; reason: string } | null {
  const state = sqlState(error);
  return state ? (BY_SQLSTATE[state] ?? null) : null;
}
