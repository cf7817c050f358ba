/** The one way the web app talks to the server: the documented JSON API under /api/v1. */

export type Lang = 'fa' | 'en';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: { fa: string; en: string },
    readonly details?: unknown,
  ) {
    super(messages.en);
  }
  text(lang: Lang): string {
    return this.messages[lang];
  }
}

let currentLang: Lang = 'fa';
/** Error messages come back in the language the person reads. */
export function setApiLanguage(lang: Lang): void {
  currentLang = lang;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A citizen's tracking token for one complaint (Authorization: Bearer …). */
  token?: string | null;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLang, ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', {
      fa: 'ارتباط با سامانه برقرار نشد؛ اتصال اینترنت را بررسی کنید.',
      en: 'Could not reach the service; check your connection.',
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = data?.error;
    throw new ApiError(response.status, error?.code ?? 'internal', error?.messages ?? { fa: 'خطایی پیش آمد.', en: 'Something went wrong.' }, error?.details);
  }
  return data as T;
}

/** Builds a query string from the defined values (arrays repeat the key). */
export function query(params: Record<string, string | number | boolean | string[] | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

// ---- Shapes of the API's replies (see /docs for the full OpenAPI document) ----

export type Status = 'received' | 'referred' | 'assigned' | 'in_progress' | 'answered' | 'closed' | 'rejected';
export type Role =
  | 'national_admin'
  | 'provincial_supervisor'
  | 'inspection_head'
  | 'leader_senior'
  | 'leader_middle'
  | 'leader_county'
  | 'responder'
  | 'operator'
  | 'auditor';

export interface Staff {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  provinceId: number | null;
  language: Lang;
}

export interface Province {
  id: number;
  code: string;
  nameFa: string;
  nameEn: string;
  population: number | null;
  counties: { id: number; code: string; nameFa: string; nameEn: string }[];
}

export type UnitKind = 'ministry' | 'organisation' | 'provincial_directorate' | 'county_office';
export interface Unit {
  id: number;
  code: string;
  parentId: number | null;
  kind: UnitKind;
  nameFa: string;
  nameEn: string;
  provinceId: number | null;
  countyId: number | null;
  path: string;
  depth: number;
  active: boolean;
  inspectionHeadId: number | null;
}

export interface Indicator {
  id: number;
  code: string;
  pillar: 'ease' | 'continuity' | 'dignity';
  nameFa: string;
  nameEn: string;
  sortOrder: number;
  active: boolean;
}
export interface Category {
  id: number;
  code: string;
  nameFa: string;
  nameEn: string;
  descriptionFa: string;
  descriptionEn: string;
  indicatorId: number;
  indicatorCode: string;
  urgent: boolean;
  answerHours: number;
  sortOrder: number;
  active: boolean;
}

export interface Ref {
  id: number;
  nameFa: string;
}

export interface ComplaintListItem {
  id: string;
  trackingCode: string;
  status: Status;
  channel: string;
  urgent: boolean;
  confidential: boolean;
  agency: Ref | null;
  unit: Ref | null;
  officeText: string | null;
  provinceId: number | null;
  provinceNameFa: string | null;
  countyId: number | null;
  countyNameFa: string | null;
  categoryId: number | null;
  categoryNameFa: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
  excerpt: string;
}

export interface TimelineEvent {
  seq: number;
  type: string;
  actorKind: string;
  actorId: number | null;
  actorName: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  hash: string;
}

export interface ComplaintDetail extends ComplaintListItem {
  description: string;
  location: { lat: number; lng: number; text: string | null } | null;
  language: string;
  country: string;
  answer: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  outcome: string | null;
  reopenCount: number;
  escalationCount: number;
  dissatisfiedCount: number;
  operatorId: number | null;
  timeline: TimelineEvent[];
}

export interface Page<T> {
  total: number;
  items: T[];
}

export interface SubmitReply {
  id: string;
  trackingCode: string;
  status: Status;
  referredTo: { unitId: number; name: string } | null;
  dueAt: string | null;
  joined?: boolean;
}

export interface PublicStatus {
  trackingCode: string;
  status: Status;
  referredTo: { name: string } | null;
  provinceNameFa: string | null;
  createdAt: string;
  updatedAt: string;
  dueAt: string | null;
  canRate: boolean;
}

export interface CitizenView {
  trackingCode: string;
  status: Status;
  agency: Ref | null;
  referredTo: Ref | null;
  officeText: string | null;
  provinceNameFa: string | null;
  countyNameFa: string | null;
  categoryNameFa: string | null;
  description: string;
  confidential: boolean;
  answer: string | null;
  answeredAt: string | null;
  outcome: string | null;
  dueAt: string | null;
  createdAt: string;
  canRate: boolean;
  canObject: boolean;
  timeline: { seq: number; type: string; at: string; unit?: string; text?: string }[];
  attachments: import('./uploads.ts').Attachment[];
}
