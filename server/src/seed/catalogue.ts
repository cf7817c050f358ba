import type { Indicator } from '../agencies/catalogue-store.ts';

/**
 * The quality indicators as the 128 programme lists them publicly (seven, and an eighth on
 * energy waste added later), grouped under the three pillars: ease, continuity, dignity.
 */
export const INDICATORS: { code: string; pillar: Indicator['pillar']; nameFa: string; nameEn: string }[] = [
  { code: 'procedure_unclear', pillar: 'ease', nameFa: 'روشن نکردن قوانین و مراحل انجام کار', nameEn: 'Rules and steps of the procedure not made clear' },
  { code: 'decision_unclear', pillar: 'ease', nameFa: 'روشن نکردن تصمیم دربارهٔ خدمت', nameEn: 'Decision on the service not made clear' },
  {
    code: 'broken_equipment',
    pillar: 'continuity',
    nameFa: 'خرابی تجهیزات یا سامانه‌ها (از جمله تلفن و سامانهٔ پاسخگویی)',
    nameEn: 'Broken equipment or systems (including phone lines and IVR)',
  },
  { code: 'disrespect', pillar: 'dignity', nameFa: 'عدم تکریم ارباب رجوع یا تبعیض', nameEn: 'Disrespect or discrimination' },
  { code: 'late_start_early_close', pillar: 'continuity', nameFa: 'شروع دیرهنگام یا تعطیلی زودهنگام کار', nameEn: 'Starting late or closing early' },
  {
    code: 'postponement',
    pillar: 'ease',
    nameFa: 'موکول کردن کار به روزهای بعد بدون دلیل قانونی',
    nameEn: 'Putting work off to later days without legal reason',
  },
  { code: 'absent_employee', pillar: 'continuity', nameFa: 'حاضر نبودن کارمند پشت میز بدون جانشین', nameEn: 'Employee away from the desk with no substitute' },
  { code: 'energy_waste', pillar: 'continuity', nameFa: 'هدررفت انرژی در اداره', nameEn: 'Energy waste in the office' },
];

/** The seed catalogue of complaint categories: urgent service-quality ones are answered within 3 hours. */
export const CATEGORIES: {
  code: string;
  indicator: string;
  urgent: boolean;
  answerHours: number;
  nameFa: string;
  nameEn: string;
  descriptionFa: string;
  descriptionEn: string;
}[] = [
  {
    code: 'absent_at_desk',
    indicator: 'absent_employee',
    urgent: true,
    answerHours: 3,
    nameFa: 'کارمند پشت میز نیست',
    nameEn: 'Employee not at the desk',
    descriptionFa: 'همین حالا در اداره هستید و کارمند مسئول سر کار نیست و جانشینی ندارد.',
    descriptionEn: 'You are at the office now and the employee is away with no substitute.',
  },
  {
    code: 'office_closed_early',
    indicator: 'late_start_early_close',
    urgent: true,
    answerHours: 3,
    nameFa: 'اداره دیر باز یا زود بسته شد',
    nameEn: 'Office opened late or closed early',
    descriptionFa: 'در ساعت اداری، اداره یا باجه باز نیست.',
    descriptionEn: 'The office or counter is closed during working hours.',
  },
  {
    code: 'disrespect',
    indicator: 'disrespect',
    urgent: true,
    answerHours: 3,
    nameFa: 'بی‌احترامی یا تبعیض',
    nameEn: 'Disrespect or discrimination',
    descriptionFa: 'با شما با بی‌احترامی یا تبعیض رفتار شده است.',
    descriptionEn: 'You were treated with disrespect or discrimination.',
  },
  {
    code: 'system_down',
    indicator: 'broken_equipment',
    urgent: true,
    answerHours: 3,
    nameFa: 'قطعی سامانه یا خرابی تجهیزات',
    nameEn: 'System down or equipment broken',
    descriptionFa: 'به دلیل قطعی سامانه یا خرابی دستگاه، کار شما انجام نمی‌شود.',
    descriptionEn: 'Your service is refused because a system or device is down.',
  },
  {
    code: 'phone_unanswered',
    indicator: 'broken_equipment',
    urgent: false,
    answerHours: 72,
    nameFa: 'تلفن یا سامانهٔ پاسخگویی جواب نمی‌دهد',
    nameEn: 'Phone or IVR not answering',
    descriptionFa: 'تلفن‌های اداره یا سامانهٔ پاسخگویی خودکار پاسخ نمی‌دهد.',
    descriptionEn: 'The office phones or its automated line do not answer.',
  },
  {
    code: 'runaround',
    indicator: 'postponement',
    urgent: true,
    answerHours: 3,
    nameFa: 'سرگردانی و امروز و فردا کردن',
    nameEn: 'Runaround and postponement',
    descriptionFa: 'کار شما بدون دلیل قانونی به روزهای بعد موکول می‌شود یا شما را از این میز به آن میز می‌فرستند.',
    descriptionEn: 'Your case is put off without legal reason or you are sent from desk to desk.',
  },
  {
    code: 'procedure_not_explained',
    indicator: 'procedure_unclear',
    urgent: false,
    answerHours: 72,
    nameFa: 'مراحل و مدارک لازم را نمی‌گویند',
    nameEn: 'Steps and documents not explained',
    descriptionFa: 'قوانین، مراحل یا مدارک لازم برای خدمت به شما گفته نمی‌شود.',
    descriptionEn: 'The rules, steps or documents needed are not explained.',
  },
  {
    code: 'decision_not_explained',
    indicator: 'decision_unclear',
    urgent: false,
    answerHours: 72,
    nameFa: 'نتیجهٔ درخواست را اعلام نمی‌کنند',
    nameEn: 'Decision not communicated',
    descriptionFa: 'تصمیم دربارهٔ درخواست شما و دلیل آن اعلام نمی‌شود.',
    descriptionEn: 'The decision on your request and its reason are not given.',
  },
  {
    code: 'illegal_fee',
    indicator: 'disrespect',
    urgent: true,
    answerHours: 3,
    nameFa: 'درخواست وجه غیرقانونی',
    nameEn: 'Illegal fee or bribe request',
    descriptionFa: 'برای انجام کار از شما پول یا هدیهٔ غیرقانونی خواسته شده است.',
    descriptionEn: 'You were asked for an illegal payment or gift.',
  },
  {
    code: 'energy_waste',
    indicator: 'energy_waste',
    urgent: false,
    answerHours: 72,
    nameFa: 'هدررفت انرژی',
    nameEn: 'Energy waste',
    descriptionFa: 'روشنایی، گرمایش یا سرمایش اداره بیهوده روشن است.',
    descriptionEn: 'Lights, heating or cooling are left on needlessly.',
  },
];
