/**
 * The status sets the server defines once (server/src/domain/lifecycle.ts), shared rather than
 * copied: that file is pure and imports nothing, so the web bundle can take it as it is.
 */
export { AWAITING_STAFF_STATUSES, OPEN_STATUSES } from '../../server/src/domain/lifecycle.ts';
