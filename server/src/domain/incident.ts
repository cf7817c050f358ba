/**
 * An incident's public status: what the citizens of its complaints see in their SMS and on the
 * public tracking page. Staff choose it; closing an incident makes it `resolved`.
 */
export const INCIDENT_PUBLIC_STATUSES = ['investigating', 'handling', 'resolved'] as const;
export type IncidentPublicStatus = (typeof INCIDENT_PUBLIC_STATUSES)[number];

/** The statuses as citizens read them (the same words on every channel). */
export const INCIDENT_STATUS_TEXT: Record<IncidentPublicStatus, { fa: string; en: string }> = {
  investigating: { fa: 'در حال بررسی', en: 'being investigated' },
  handling: { fa: 'در حال رسیدگی', en: 'being handled' },
  resolved: { fa: 'برطرف شد', en: 'resolved' },
};

/** Events an incident writes into each linked complaint's chain. They change no lifecycle state. */
export const INCIDENT_EVENT_TYPES = ['incident_linked', 'incident_unlinked', 'incident_updated', 'incident_closed'] as const;

/** The public statuses staff may set while an incident is open (`resolved` comes only with closing). */
export const OPEN_INCIDENT_STATUSES = ['investigating', 'handling'] as const;
