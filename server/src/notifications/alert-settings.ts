import { AppError } from '../core/errors.ts';
import type { Queryable } from '../db/database.ts';
import { parseContactPhone } from '../domain/identity.ts';
import { toAsciiDigits } from '../domain/persian-text.ts';
import { getAlertSettings, putAlertSettings } from './alert-settings-store.ts';
import type { AlertSettings } from './staff-alerts.ts';

/** The settings as the API speaks them: quiet hours as "HH:MM" in Tehran time. */
export interface AlertSettingsView {
  channel: AlertSettings['channel'];
  address: string | null;
  quietStart: string | null;
  quietEnd: string | null;
  urgentOverrides: boolean;
}

const hhmm = (m: number | null) => (m === null ? null : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const minutes = (t: string | null) => (t === null ? null : Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));

function view(s: AlertSettings): AlertSettingsView {
  return { channel: s.channel, address: s.address, quietStart: hhmm(s.quietStartMinute), quietEnd: hhmm(s.quietEndMinute), urgentOverrides: s.urgentOverrides };
}

/** The signed-in person's own alert settings. */
export async function myAlertSettings(db: Queryable, userId: number): Promise<AlertSettingsView> {
  return view(await getAlertSettings(db, userId));
}

/**
 * Sets the signed-in person's own settings (never anyone else's: the id is the session's). An SMS
 * address must be an Iranian mobile; a messenger address a numeric chat id; quiet hours both or neither.
 */
export async function setMyAlertSettings(db: Queryable, userId: number, input: AlertSettingsView, now: Date): Promise<AlertSettingsView> {
  let address: string | null = input.address === null ? null : toAsciiDigits(input.address.trim());
  if (input.channel === 'web') address = null;
  else if (!address) throw new AppError('validation_failed', [{ field: 'body.address', problem: 'required for this channel' }]);
  else if (input.channel === 'sms') {
    const phone = parseContactPhone(address);
    if (!phone?.iranianMobile) throw new AppError('invalid_phone');
    address = phone.e164;
  } else if (!/^-?[0-9]{3,20}$/.test(address)) throw new AppError('validation_failed', [{ field: 'body.address', problem: 'a numeric chat id' }]);
  if ((input.quietStart === null) !== (input.quietEnd === null) || (input.quietStart !== null && input.quietStart === input.quietEnd))
    throw new AppError('validation_failed', [{ field: 'body.quietEnd', problem: 'quiet hours need a start and a different end' }]);
  const saved = await putAlertSettings(
    db,
    {
      userId,
      channel: input.channel,
      address,
      quietStartMinute: minutes(input.quietStart),
      quietEndMinute: minutes(input.quietEnd),
      urgentOverrides: input.urgentOverrides,
    },
    now,
  );
  return view(saved);
}
