import { can, type Permission } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import { type Status, TRANSITIONS } from '../domain/lifecycle.ts';

/** The lifecycle actions staff ask for on a complaint (`POST /complaints/:id/actions`). */
export const LIFECYCLE_ACTIONS = ['refer', 'assign', 'start', 'note', 'answer', 'transfer', 'reject', 'escalate'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** Other things a reader may do on a complaint page: name the employee, read the contact, attach a file, verify the chain. */
export const OTHER_ACTIONS = ['name_employee', 'read_contact', 'attach', 'verify'] as const;
export type ComplaintAction = LifecycleAction | (typeof OTHER_ACTIONS)[number];
export const COMPLAINT_ACTIONS: readonly ComplaintAction[] = [...LIFECYCLE_ACTIONS, ...OTHER_ACTIONS];

/** The permission each action needs (the use cases check the same). */
export const PERMISSION_OF: Record<ComplaintAction, Permission> = {
  refer: 'complaint.triage',
  assign: 'complaint.assign',
  start: 'complaint.work',
  note: 'complaint.note',
  answer: 'complaint.work',
  transfer: 'complaint.transfer',
  reject: 'complaint.reject',
  escalate: 'complaint.escalate',
  name_employee: 'complaint.employee.set',
  read_contact: 'complaint.contact',
  attach: 'complaint.note',
  verify: 'complaint.verify',
};

/**
 * What `user` may do on a complaint in their scope, now: the role's permission, the lifecycle's
 * transition table for the status, and a responder's own assignment. The web app offers exactly
 * these; the use cases still decide (a stale page's action fails there, not here).
 */
export function allowedActions(user: StaffPrincipal, complaint: { status: Status; assigneeId: number | null }): ComplaintAction[] {
  return COMPLAINT_ACTIONS.filter((action) => {
    if (!can(user.role, PERMISSION_OF[action])) return false;
    if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(action)) return true;
    if (!TRANSITIONS[action as LifecycleAction].includes(complaint.status)) return false;
    // A responder works only the complaints assigned to them.
    if ((action === 'start' || action === 'answer') && user.role === 'responder') return complaint.assigneeId === user.id;
    return true;
  });
}
