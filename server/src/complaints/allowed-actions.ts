import { can, type Permission } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import { APPEALABLE_STATUSES, type Status, TRANSITIONS } from '../domain/lifecycle.ts';

/** The lifecycle actions staff ask for on a complaint (`POST /complaints/:id/actions`). */
export const LIFECYCLE_ACTIONS = ['refer', 'assign', 'start', 'note', 'answer', 'transfer', 'reject', 'escalate'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/**
 * Other things a reader may do on a complaint page: name the employee, read the contact, attach a
 * file, verify the chain, decide a citizen's appeal (only while it is under appeal).
 */
export const OTHER_ACTIONS = ['name_employee', 'read_contact', 'attach', 'verify', 'decide_appeal'] as const;
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
  decide_appeal: 'complaint.appeal.decide',
};

/**
 * What `user` may do on a complaint in their scope, now: the role's permission, the lifecycle's
 * transition table for the status, and a responder's own assignment. The web app offers exactly
 * these; the use cases still decide (a stale page's action fails there, not here).
 */
export function allowedActions(user: StaffPrincipal, complaint: { status: Status; assigneeId: number | null }): ComplaintAction[] {
  return COMPLAINT_ACTIONS.filter((action) => {
    if (!can(user.role, PERMISSION_OF[action])) return false;
    if (action === 'decide_appeal') return complaint.status === 'appealed';
    if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(action)) return true;
    if (!TRANSITIONS[action as LifecycleAction].includes(complaint.status)) return false;
    // A responder works only the complaints assigned to them.
    if ((action === 'start' || action === 'answer') && user.role === 'responder') return complaint.assigneeId === user.id;
    return true;
  });
}

/** What a citizen may do on their own complaint (after the one-time code). */
export const CITIZEN_ACTIONS = ['rate', 'object', 'appeal'] as const;
export type CitizenAction = (typeof CITIZEN_ACTIONS)[number];

/**
 * The citizen's actions now: rate an answer, object to a rejection, or — at the top of the
 * agency's tree, once — appeal to the provincial supervision group. The tracking page offers
 * exactly these; the use cases still decide through the lifecycle.
 */
export function citizenActions(complaint: { status: Status; unitId: number | null; atTopLevel: boolean; appealedBefore: boolean }): CitizenAction[] {
  return CITIZEN_ACTIONS.filter((action) => {
    if (action === 'appeal') {
      return (APPEALABLE_STATUSES as readonly Status[]).includes(complaint.status) && complaint.atTopLevel && !complaint.appealedBefore;
    }
    // A complaint rejected at triage has no unit to object to (objectToRejection refuses it too).
    if (action === 'object') return complaint.status === 'rejected' && complaint.unitId !== null;
    return complaint.status === 'answered';
  });
}
