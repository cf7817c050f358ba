import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/**
 * A phone photo as phones send them: landscape pixels stored with EXIF orientation 6 (turn
 * 90° to stand upright), the camera's make and model, and the GPS position where it was taken.
 */
export async function phonePhotoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Samsung', Model: 'SM-A515F' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 41/1 2/1', GPSLongitudeRef: 'E', GPSLongitude: '51/1 25/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Noise compresses badly: a PNG of about `kb` kilobytes. */
export async function noisyPng(side: number): Promise<Buffer> {
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** The start of an Ogg Opus voice note (what Telegram and WhatsApp record), enough for the type check. */
export function opusVoiceNote(): Buffer {
  const page = Buffer.alloc(400, 0);
  page.write('OggS', 0, 'latin1');
  page.writeUInt8(2, 5); // beginning of stream
  page.write('OpusHead', 28, 'latin1');
  page.writeUInt8(1, 36);
  randomBytes(300).copy(page, 100);
  return page;
}

/** One multipart/form-data part named `file`, with whatever name and declared type the sender claims. */
export function multipart(bytes: Buffer, filename: string, contentType: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----foad${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
