import smpp from 'smpp';
import { smsParts } from '../../notifications/templates.ts';

/** SMPP data_coding values Foad writes and reads. */
export const DATA_CODING = { SMSC_DEFAULT: 0x00, ASCII: 0x01, LATIN1: 0x03, UCS2: 0x08 } as const;
/** esm_class bits. */
export const ESM_CLASS = { UDH_INDICATOR: 0x40, MESSAGE_TYPE_MASK: 0x3c, DELIVERY_RECEIPT: 0x04, INTERMEDIATE_NOTIFICATION: 0x20 } as const;
/** command_status values the ESME reacts to. */
export const STATUS = { OK: 0x00, MSGQFUL: 0x14, THROTTLED: 0x58, BINDFAIL: 0x0d, SYSERR: 0x08 } as const;

/** Where a part sits in a concatenated message. */
export interface Concat {
  /** 'udh8' (IEI 0x00), 'udh16' (IEI 0x08) or 'sar' (sar_* TLVs): refs of different kinds never mix. */
  kind: 'udh8' | 'udh16' | 'sar';
  ref: number;
  total: number;
  seq: number;
}

/** One SMS part ready for submit_sm / deliver_sm. */
export interface EncodedPart {
  dataCoding: number;
  esmClass: number;
  /** UDH (if any) followed by the encoded text. */
  shortMessage: Buffer;
  text: string;
}

/** UTF-16 big-endian, as UCS-2 on the wire (surrogate pairs pass through as two units). */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

export function decodeUcs2(bytes: Buffer): string {
  const even = bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1);
  return Buffer.from(even).swap16().toString('utf16le');
}

/** Splits into chunks of at most `max` UTF-16 units, never between the halves of a surrogate pair. */
export function splitUnits(text: string, max: number, weight: (ch: string) => number = (ch) => ch.length): string[] {
  const chunks: string[] = [];
  let current = '';
  let units = 0;
  for (const ch of text) {
    const w = weight(ch);
    if (units + w > max && current) {
      chunks.push(current);
      current = '';
      units = 0;
    }
    current += ch;
    units += w;
  }
  if (current || chunks.length === 0) chunks.push(current);
  return chunks;
}

const GSM_EXTENDED = '^{}\\[~]|€\f';
const gsmWeight = (ch: string) => (GSM_EXTENDED.includes(ch) ? 2 : 1);

/** The 8-bit-reference concatenation UDH: 05 00 03 ref total seq. */
export function concatUdh(ref: number, total: number, seq: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]);
}

/**
 * A text as SMS parts: UCS-2 (data_coding 8) unless it fits the GSM 03.38 alphabet, 70/67
 * UTF-16 units per part (GSM: 160/153 septets, one per octet); a concatenated message gets the
 * 8-bit-reference UDH and esm_class 0x40. Matches `smsParts` of the templates.
 */
export function encodeMessage(text: string, ref: number): EncodedPart[] {
  const { encoding } = smsParts(text);
  const gsm = encoding === 'gsm7';
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const weight = gsm ? gsmWeight : (ch: string) => ch.length;
  const whole = splitUnits(text, single, weight);
  const chunks = whole.length === 1 ? whole : splitUnits(text, multi, weight);
  const encode = (s: string) => (gsm ? smpp.gsmCoder.encode(s, 0) : encodeUcs2(s));
  return chunks.map((chunk, i) => {
    const body = encode(chunk);
    const concatenated = chunks.length > 1;
    return {
      dataCoding: gsm ? DATA_CODING.SMSC_DEFAULT : DATA_CODING.UCS2,
      esmClass: concatenated ? ESM_CLASS.UDH_INDICATOR : 0,
      shortMessage: concatenated ? Buffer.concat([concatUdh(ref, chunks.length, i + 1), body]) : body,
      text: chunk,
    };
  });
}

/** Decodes raw message bytes (no UDH) by data_coding. */
export function decodeBytes(bytes: Buffer, dataCoding: number): string {
  const scheme = dataCoding & 0x0f;
  if (dataCoding === DATA_CODING.UCS2 || scheme === DATA_CODING.UCS2) return decodeUcs2(bytes);
  if (scheme === DATA_CODING.LATIN1) return bytes.toString('latin1');
  if (scheme === DATA_CODING.ASCII) return bytes.toString('ascii');
  return smpp.gsmCoder.decode(bytes, 0);
}

/** Reads the concatenation element out of a list of UDH information elements. */
export function concatFromUdh(elements: Buffer[]): Concat | null {
  for (const ie of elements) {
    if (ie[0] === 0x00 && ie[1] === 3 && ie.length >= 5) return { kind: 'udh8', ref: ie[2]!, total: ie[3]!, seq: ie[4]! };
    if (ie[0] === 0x08 && ie[1] === 4 && ie.length >= 6) return { kind: 'udh16', ref: ie.readUInt16BE(2), total: ie[4]!, seq: ie[5]! };
  }
  return null;
}

/** Splits a raw UDH (length octet included) into its information elements. */
export function udhElements(udh: Buffer): Buffer[] {
  const elements: Buffer[] = [];
  let i = 1;
  const end = Math.min(udh.length, udh[0]! + 1);
  while (i + 1 < end) {
    const len = udh[i + 1]!;
    elements.push(udh.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  return elements;
}

/**
 * The text and concatenation info of a deliver_sm / submit_sm as the `smpp` library parsed it
 * (it splits the UDH off and decodes by data_coding; raw Buffers are handled too).
 */
export function readMessage(pdu: smpp.PDU): { text: string; concat: Concat | null } {
  const dataCoding = Number(pdu.data_coding ?? 0);
  const esmClass = Number(pdu.esm_class ?? 0);
  let field: unknown = pdu.short_message;
  const empty = (v: unknown) =>
    v === undefined || v === null || (Buffer.isBuffer(v) && v.length === 0) || (typeof v === 'object' && !Buffer.isBuffer(v) && isEmptyDecoded(v));
  if (empty(field) && pdu.message_payload !== undefined) field = pdu.message_payload;
  let text = '';
  let elements: Buffer[] = [];
  if (Buffer.isBuffer(field)) {
    let body = field;
    if (esmClass & ESM_CLASS.UDH_INDICATOR && field.length > 0) {
      elements = udhElements(field);
      body = field.subarray(field[0]! + 1);
    }
    text = decodeBytes(body, dataCoding);
  } else if (field && typeof field === 'object') {
    const decoded = field as smpp.DecodedMessage;
    elements = decoded.udh ?? [];
    text = Buffer.isBuffer(decoded.message) ? decodeBytes(decoded.message, dataCoding) : String(decoded.message ?? '');
  } else if (typeof field === 'string') {
    text = field;
  }
  let concat = concatFromUdh(elements);
  if (!concat && typeof pdu.sar_msg_ref_num === 'number' && typeof pdu.sar_total_segments === 'number' && typeof pdu.sar_segment_seqnum === 'number') {
    concat = { kind: 'sar', ref: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, seq: pdu.sar_segment_seqnum };
  }
  if (concat && (concat.total < 2 || concat.seq < 1 || concat.seq > concat.total)) concat = null;
  return { text, concat };
}

function isEmptyDecoded(v: object): boolean {
  const m = (v as smpp.DecodedMessage).message;
  return m === undefined || m === null || m.length === 0;
}
