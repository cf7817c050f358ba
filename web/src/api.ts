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

// ---- Shapes of the API's requests and replies, from the generated OpenAPI types ----
import type { paths } from './api-schema.ts';

type Ok<R> = R extends { 200: infer A } ? A : R extends { 201: infer B } ? B : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON reply of `method path` on success, exactly as the server's schema declares it. */
export type Reply<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? JsonOf<Ok<R>> : never;

export type Staff = Reply<'/api/v1/auth/me', 'get'>;
export type Role = Staff['role'];
export type Status = Reply<'/api/v1/track/{code}', 'get'>['status'];
export type Province = Reply<'/api/v1/divisions', 'get'>['items'][number];
export type Unit = Reply<'/api/v1/agencies', 'get'>['items'][number];
export type UnitKind = Unit['kind'];
export type Category = Reply<'/api/v1/categories', 'get'>['items'][number];
export type Indicator = Reply<'/api/v1/categories', 'get'>['indicators'][number];
export type ComplaintListItem = Reply<'/api/v1/complaints', 'get'>['items'][number];
export type ComplaintDetail = Reply<'/api/v1/complaints/{id}', 'get'>;
export type TimelineEvent = ComplaintDetail['timeline'][number];
/** `totalCapped`: the server stopped counting at `total` (a national scope); there are more. */
export type Page<T> = { total: number; totalCapped?: boolean; items: T[] };
export type SubmitReply = Reply<'/api/v1/complaints', 'post'>;
export type PublicStatus = Reply<'/api/v1/track/{code}', 'get'>;
export type CitizenView = Reply<'/api/v1/track/{code}/full', 'get'>;
export type Attachment = Reply<'/api/v1/complaints/{id}/attachments', 'get'>[number];
export type ReportCard = Reply<'/api/v1/reports/cards/{period}', 'get'>;
export type CardGroup = ReportCard['national'];
export type Measures = CardGroup['measures'];
export type MeasureDefinitions = Reply<'/api/v1/public/measures', 'get'>;
export type LiveDashboard = Reply<'/api/v1/live/dashboard', 'get'>;
export type EnforcementAction = Reply<'/api/v1/enforcement/actions/{id}', 'get'>;
export type EnforcementRuns = Reply<'/api/v1/enforcement/runs', 'get'>;
export type Inspection = Reply<'/api/v1/inspections/{id}', 'get'>;
export type FollowUpCall = Reply<'/api/v1/follow-up-calls', 'get'>['items'][number];
export type Hotspot = Reply<'/api/v1/hotspots', 'get'>['items'][number];
export type TriageSuggestion = Reply<'/api/v1/complaints/{id}/triage', 'get'>;
export type Appeal = Reply<'/api/v1/appeals', 'get'>['items'][number];
export type IncidentSuggestion = Reply<'/api/v1/incidents/suggestions', 'get'>['items'][number];
export type IncidentSummary = Reply<'/api/v1/incidents', 'get'>['items'][number];
export type IncidentDetail = Reply<'/api/v1/incidents/{id}', 'get'>;
