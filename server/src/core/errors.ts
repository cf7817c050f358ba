/**
 * The one error type of the application. Use cases throw `AppError(code, details)`; the HTTP
 * error handler is the only place that turns it into a status and a Persian/English message.
 */
export const ERRORS = {
  validation_failed: { status: 400, fa: 'اطلاعات فرستاده‌شده درست نیست.', en: 'The request is not valid.' },
  invalid_tracking_code: {
    status: 400,
    fa: 'کد رهگیری درست نیست؛ رقم‌ها را دوباره بررسی کنید.',
    en: 'The tracking code is not valid; please check the digits.',
  },
  invalid_phone: { status: 400, fa: 'شمارهٔ تلفن همراه درست نیست.', en: 'The mobile number is not valid.' },
  invalid_national_id: { status: 400, fa: 'کد ملی درست نیست.', en: 'The national ID is not valid.' },
  invalid_named_employee: {
    status: 400,
    fa: 'نام یا سمت کارمند درست نیست: پس از کنار گذاشتن عنوان‌هایی مانند «آقای»، «خانم» و «دکتر» باید دست‌کم ۲ و حداکثر ۱۲۰ نویسه بماند.',
    en: 'The employee’s name or position is not valid: without titles such as “Mr”, “Mrs” or “Dr” it must be 2 to 120 characters.',
  },
  invalid_csv: { status: 400, fa: 'پروندهٔ CSV درست نیست.', en: 'The CSV file is not valid.' },
  idempotency_key_invalid: { status: 400, fa: 'کلید یکتایی درخواست (Idempotency-Key) درست نیست.', en: 'The Idempotency-Key header is not valid.' },
  unauthenticated: { status: 401, fa: 'ابتدا وارد شوید.', en: 'Please sign in first.' },
  invalid_credentials: { status: 401, fa: 'نام کاربری یا گذرواژه درست نیست.', en: 'Wrong username or password.' },
  totp_required: { status: 401, fa: 'کد ورود دومرحله‌ای را وارد کنید.', en: 'Enter your two-factor code.' },
  invalid_totp: { status: 401, fa: 'کد ورود دومرحله‌ای درست نیست.', en: 'The two-factor code is not valid.' },
  invalid_otp: { status: 401, fa: 'رمز یک‌بار مصرف درست نیست یا منقضی شده است.', en: 'The one-time code is wrong or has expired.' },
  citizen_token_required: { status: 401, fa: 'برای دیدن جزئیات، رمز یک‌بار مصرف را وارد کنید.', en: 'Enter the one-time code to see the details.' },
  forbidden: { status: 403, fa: 'شما اجازهٔ این کار را ندارید.', en: 'You are not allowed to do this.' },
  contact_confidential: {
    status: 403,
    fa: 'شاکی خواسته است هویتش از دستگاه پنهان بماند.',
    en: 'The complainant asked to keep their identity from the agency.',
  },
  not_found: { status: 404, fa: 'پیدا نشد.', en: 'Not found.' },
  complaint_not_found: { status: 404, fa: 'شکایتی با این مشخصات پیدا نشد.', en: 'No complaint was found.' },
  unit_not_found: { status: 404, fa: 'واحد دستگاه اجرایی پیدا نشد.', en: 'The agency unit was not found.' },
  user_not_found: { status: 404, fa: 'کاربر پیدا نشد.', en: 'The user was not found.' },
  unknown_agency: { status: 422, fa: 'دستگاه اجرایی انتخاب‌شده وجود ندارد یا غیرفعال است.', en: 'The chosen agency does not exist or is inactive.' },
  unknown_place: { status: 422, fa: 'استان یا شهرستان انتخاب‌شده درست نیست.', en: 'The chosen province or county is not valid.' },
  unknown_category: { status: 422, fa: 'نوع شکایت انتخاب‌شده وجود ندارد.', en: 'The chosen category does not exist.' },
  unknown_service: { status: 422, fa: 'خدمت انتخاب‌شده برای این دستگاه وجود ندارد.', en: 'The chosen service does not belong to this agency.' },
  unknown_indicator: { status: 422, fa: 'شاخص کیفیت انتخاب‌شده وجود ندارد.', en: 'The chosen quality indicator does not exist.' },
  invalid_assignee: { status: 422, fa: 'این کاربر نمی‌تواند کارشناس این شکایت باشد.', en: 'This user cannot be assigned this complaint.' },
  invalid_tree: { status: 422, fa: 'این جابه‌جایی یا ساختار در درخت دستگاه‌ها مجاز نیست.', en: 'This change is not allowed in the agency tree.' },
  rating_window_closed: { status: 409, fa: 'مهلت نظر دادن دربارهٔ این پاسخ به پایان رسیده است.', en: 'The time to rate this answer has ended.' },
  invalid_transition: { status: 409, fa: 'این کار در وضعیت فعلی شکایت ممکن نیست.', en: 'This action is not possible in the complaint’s current state.' },
  same_unit: { status: 409, fa: 'شکایت هم‌اکنون در همین واحد است.', en: 'The complaint is already with this unit.' },
  same_assignee: { status: 409, fa: 'شکایت هم‌اکنون به همین کاربر سپرده شده است.', en: 'The complaint is already assigned to this user.' },
  appeal_not_top_level: {
    status: 409,
    fa: 'تجدیدنظر نزد ناظر استان فقط وقتی ممکن است که شکایت به بالاترین سطح دستگاه رسیده باشد؛ تا آن زمان نارضایتی شما به سطح بالاتر فرستاده می‌شود.',
    en: 'An appeal to the provincial supervisors is possible only once the complaint has reached the top level of the agency; until then your dissatisfaction sends it one level up.',
  },
  already_appealed: {
    status: 409,
    fa: 'برای این شکایت پیش‌تر یک بار تجدیدنظر خواسته‌اید؛ تجدیدنظر فقط یک بار ممکن است.',
    en: 'You have already appealed this complaint once; an appeal is possible only once.',
  },
  not_merged: { status: 409, fa: 'این شکایت با شکایت دیگری ادغام نشده است.', en: 'This complaint is not merged into another one.' },
  merge_target_closed: {
    status: 409,
    fa: 'شکایت مقصد بسته یا خود ادغام‌شده است؛ فقط در شکایت باز می‌توان ادغام کرد.',
    en: 'The target complaint is closed or itself merged; merge only into an open case.',
  },
  same_complaint: { status: 422, fa: 'شکایت را نمی‌توان با خودش ادغام کرد.', en: 'A complaint cannot be merged into itself.' },
  incident_not_found: { status: 404, fa: 'رخدادی با این مشخصات پیدا نشد.', en: 'No incident was found.' },
  incident_closed: { status: 409, fa: 'این رخداد پیش‌تر بسته شده است.', en: 'This incident is already closed.' },
  incident_mixed_organisations: {
    status: 422,
    fa: 'همهٔ شکایت‌های یک رخداد باید دربارهٔ یک دستگاه باشند.',
    en: 'All the complaints of an incident must be about one organisation.',
  },
  complaint_in_incident: { status: 409, fa: 'این شکایت پیش‌تر در رخداد باز دیگری است.', en: 'This complaint is already in another open incident.' },
  not_a_repeat: { status: 404, fa: 'پیام تکراری با این شماره در این شکایت پیدا نشد.', en: 'No repeat with this number was found on this complaint.' },
  concurrent_change: { status: 409, fa: 'شکایت هم‌زمان تغییر کرد؛ دوباره تلاش کنید.', en: 'The complaint changed at the same time; please try again.' },
  idempotency_key_reused: {
    status: 409,
    fa: 'این کلید یکتایی پیش‌تر برای درخواست دیگری به کار رفته است.',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  invalid_period: {
    status: 400,
    fa: 'دورهٔ گزارش درست نیست (نمونه: ۱۴۰۴-۰۳، ۱۴۰۴-Q2 یا ۱۴۰۴).',
    en: 'The report period is not valid (e.g. 1404-03, 1404-Q2 or 1404).',
  },
  report_not_published: { status: 404, fa: 'کارنامهٔ این دوره هنوز منتشر نشده است.', en: 'The report card of this period has not been published.' },
  correction_note_required: {
    status: 422,
    fa: 'اصلاح کارنامهٔ منتشرشده به توضیح نیاز دارد.',
    en: 'A correction of a published report card needs a note.',
  },
  duplicate: { status: 409, fa: 'این مورد پیش‌تر ثبت شده است.', en: 'This already exists.' },
  payload_too_large: { status: 413, fa: 'حجم درخواست بیش از حد مجاز است.', en: 'The request is too large.' },
  unsupported_media_type: { status: 415, fa: 'نوع محتوای درخواست پشتیبانی نمی‌شود.', en: 'The request content type is not supported.' },
  attachment_missing: { status: 400, fa: 'پرونده‌ای فرستاده نشد؛ پرونده را در فیلد file بفرستید.', en: 'No file was sent; send it in the "file" field.' },
  attachment_too_large: { status: 413, fa: 'حجم پرونده بیش از حد مجاز است.', en: 'The file is larger than allowed.' },
  attachment_type_not_allowed: {
    status: 415,
    fa: 'این نوع پرونده پذیرفته نمی‌شود؛ فقط عکس (JPEG، PNG، WebP)، فیلم (MP4، WebM، MOV، 3GP) و صدا (OGG، MP3، M4A، WAV، AMR).',
    en: 'This type of file is not accepted; only photos (JPEG, PNG, WebP), video (MP4, WebM, MOV, 3GP) and voice (OGG, MP3, M4A, WAV, AMR).',
  },
  attachment_limit: { status: 409, fa: 'شمار پیوست‌های این شکایت به سقف رسیده است.', en: 'This complaint has as many attachments as allowed.' },
  attachment_not_found: { status: 404, fa: 'پیوست پیدا نشد.', en: 'The attachment was not found.' },
  answer_needs_evidence: {
    status: 422,
    fa: 'پاسخ این نوع شکایت بدون مستند پذیرفته نمی‌شود: نخست عکس یا سندی از اقدام دستگاه پیوست کنید و آن را به پاسخ بیفزایید.',
    en: 'Answers in this category need evidence: attach a photo or document of what the office did and add it to the answer.',
  },
  evidence_not_found: {
    status: 422,
    fa: 'مستند انتخاب‌شده از پیوست‌های کارکنان برای این شکایت نیست.',
    en: 'The chosen evidence is not a file the staff attached to this complaint.',
  },
  follow_up_not_found: { status: 404, fa: 'تماس پیگیری پیدا نشد.', en: 'The follow-up call was not found.' },
  follow_up_recorded: { status: 409, fa: 'نتیجهٔ این تماس پیگیری پیش‌تر ثبت شده است.', en: 'The outcome of this follow-up call is already recorded.' },
  rate_limited: { status: 429, fa: 'درخواست‌ها بیش از حد است؛ کمی بعد دوباره تلاش کنید.', en: 'Too many requests; please try again shortly.' },
  enforcement_action_not_found: { status: 404, fa: 'اقدام انضباطی پیدا نشد.', en: 'The enforcement action was not found.' },
  manager_not_found: { status: 404, fa: 'مدیر پیدا نشد.', en: 'The manager was not found.' },
  rule_not_found: { status: 404, fa: 'قاعده پیدا نشد.', en: 'The rule was not found.' },
  reply_window_open: {
    status: 409,
    fa: 'مهلت پاسخ مدیر هنوز تمام نشده و پاسخی هم نداده است؛ پیش از آن نمی‌توان تصمیم گرفت.',
    en: 'The manager has not replied and the reply window is still open; the decision must wait.',
  },
  already_replied: { status: 409, fa: 'پاسخ شما پیش‌تر ثبت شده است.', en: 'Your reply was already recorded.' },
  already_decided: { status: 409, fa: 'دربارهٔ این اقدام پیش‌تر تصمیم گرفته شده است.', en: 'This action was already decided.' },
  not_appealable: { status: 409, fa: 'فقط از اقدامی که تأیید شده می‌توان تجدیدنظر خواست.', en: 'Only a confirmed action can be appealed.' },
  appeal_already_made: { status: 409, fa: 'از هر اقدام تنها یک بار می‌توان تجدیدنظر خواست.', en: 'An action can be appealed only once.' },
  no_pending_appeal: { status: 409, fa: 'درخواست تجدیدنظر بررسی‌نشده‌ای نیست.', en: 'There is no pending appeal.' },
  inspection_not_found: { status: 404, fa: 'بازرسی پیدا نشد.', en: 'The inspection was not found.' },
  inspection_filed: { status: 409, fa: 'گزارش این بازرسی پیش‌تر ثبت شده است.', en: 'This inspection’s findings were already filed.' },
  findings_incomplete: {
    status: 422,
    fa: 'برای هر هشت شاخص کیفیت یک امتیاز لازم است.',
    en: 'Every active quality indicator needs exactly one score.',
  },
  invalid_inspector: { status: 422, fa: 'این کاربر نمی‌تواند بازرس این اداره باشد.', en: 'This user cannot inspect this office.' },
  inspection_code_not_found: {
    status: 422,
    fa: 'کد رهگیری {trackingCode} پیدا نشد؛ رقم‌ها را بررسی کنید (فقط شکایت‌های حوزهٔ شما پذیرفته می‌شود).',
    en: 'Tracking code {trackingCode} was not found; check the digits (only complaints in your scope can be chosen).',
  },
  invalid_inspection_target: {
    status: 422,
    fa: 'اداره یا شکایت‌های انتخاب‌شده برای بازرسی درست نیست.',
    en: 'The office or the complaints chosen for the inspection are not valid.',
  },
  unsupported_photo: { status: 415, fa: 'فقط عکس JPEG، PNG یا WebP پذیرفته می‌شود.', en: 'Only JPEG, PNG or WebP photos are accepted.' },
  // ——— intake trust (issue 11): identity consent ———
  contact_not_shared: {
    status: 403,
    fa: 'شاکی رضایت نداده است که نام و شماره‌اش به دستگاه مورد شکایت داده شود.',
    en: 'The complainant did not agree to share their name and phone with the agency complained about.',
  },
  // ——— end intake trust ———
  // Auth abuse (issue 11): second-factor enrolment and cross-province transfers.
  totp_enrolment_required: {
    status: 401,
    fa: 'برای این نقش ورود دومرحله‌ای لازم است؛ ابتدا برنامهٔ رمزساز را فعال کنید.',
    en: 'This role needs two-factor sign-in; set up your authenticator app first.',
  },
  totp_already_enabled: { status: 409, fa: 'ورود دومرحله‌ای پیش‌تر فعال شده است.', en: 'Two-factor sign-in is already set up.' },
  transfer_cross_province: {
    status: 403,
    fa: 'ارجاع به اداره‌ای در استان دیگر فقط با اپراتور ۱۲۸ یا مدیر ملی سامانه است.',
    en: 'Only the 128 centre or the national admin may transfer a complaint to another province.',
  },
  // Tamper evidence (docs/tamper-evidence.md): a citizen's inclusion proof before a checkpoint holds their complaint.
  proof_not_ready: {
    status: 409,
    fa: 'هنوز سیاههٔ امضاشدهٔ روزانه‌ای این شکایت را در بر نمی‌گیرد؛ فردا دوباره تلاش کنید.',
    en: 'No signed daily checkpoint holds this complaint yet; please try again tomorrow.',
  },
  // Report cards (issue 12): only a finished period can be frozen.
  period_not_finished: {
    status: 422,
    fa: 'این دوره هنوز تمام نشده است؛ کارنامهٔ یک دوره پس از پایان آن منتشر می‌شود.',
    en: 'This period is not over yet; a period’s report card is published after it ends.',
  },
  // Any input gets a 4xx, never a 5xx (issue 11): database refusals the caller caused.
  unknown_reference: {
    status: 422,
    fa: 'اطلاعات فرستاده‌شده به موردی اشاره می‌کند که وجود ندارد.',
    en: 'The request refers to something that does not exist.',
  },
  try_again: { status: 409, fa: 'داده‌ها هم‌زمان تغییر کرد؛ دوباره تلاش کنید.', en: 'The data changed at the same time; please try again.' },
  // end of issue 11 block
  internal: { status: 500, fa: 'خطای داخلی سامانه؛ دوباره تلاش کنید.', en: 'Internal error; please try again.' },
} as const satisfies Record<string, { status: number; fa: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
  ) {
    super(ERRORS[code].en);
    this.status = ERRORS[code].status;
  }
}

/** The JSON body of every error reply. `message` follows the request's language (Persian by default). */
export function errorBody(code: ErrorCode, language: 'fa' | 'en', details?: unknown) {
  const entry = { fa: fill(ERRORS[code].fa, details, 'fa'), en: fill(ERRORS[code].en, details, 'en') };
  return {
    error: {
      code,
      message: language === 'en' ? entry.en : entry.fa,
      messages: { fa: entry.fa, en: entry.en },
      ...(details === undefined ? {} : { details }),
    },
  };
}

/** Puts the details into a message's `{name}` slots (a value may be one string or `{ fa, en }`), so an error can name what it is about. */
function fill(message: string, details: unknown, language: 'fa' | 'en'): string {
  if (!message.includes('{') || typeof details !== 'object' || details === null) return message;
  return message.replace(/\{(\w+)\}/g, (slot, name: string) => {
    const value = (details as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[language] === 'string')
      return (value as Record<string, string>)[language]!;
    return slot;
  });
}
