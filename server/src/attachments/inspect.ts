import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../core/errors.ts';

export type AttachmentKind = 'image' | 'video' | 'voice';

/** What we accept, by the type the bytes show (never the file name or the declared type). */
const ACCEPTED: Record<string, AttachmentKind> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/webm': 'video',
  'video/3gpp': 'video',
  'audio/ogg': 'voice',
  'audio/opus': 'voice',
  'audio/mpeg': 'voice',
  'audio/mp4': 'voice',
  'audio/x-m4a': 'voice',
  'audio/aac': 'voice',
  'audio/wav': 'voice',
  'audio/x-wav': 'voice',
  'audio/amr': 'voice',
};

/** Largest image we decode (pixels): a small file that inflates to gigapixels is refused, not decoded. */
const MAX_IMAGE_PIXELS = 50_000_000;
const THUMBNAIL_SIZE = 320;

/** The type of a file from its first bytes; refuses anything we do not accept. */
export async function detectType(path: string): Promise<{ mime: string; kind: AttachmentKind }> {
  const detected = await fileTypeFromFile(path);
  const mime = detected ? (detected.mime.split(';')[0] ?? '').trim() : undefined;
  const kind = mime ? ACCEPTED[mime] : undefined;
  if (!mime || !kind) throw new AppError('attachment_type_not_allowed', { detected: mime ?? null });
  // One name per format in our records.
  const canonical = mime === 'audio/x-m4a' ? 'audio/mp4' : mime === 'audio/x-wav' ? 'audio/wav' : mime === 'audio/opus' ? 'audio/ogg' : mime;
  return { mime: canonical, kind };
}

export interface CleanImage {
  buffer: Buffer;
  mime: string;
  width: number;
  height: number;
  thumbnail: Buffer;
}

/**
 * Re-encodes a photo so that nothing but the pixels survives: EXIF (GPS position, camera make
 * and serial, time), XMP, IPTC and comments are dropped. The EXIF orientation is applied to the
 * pixels first, so the photo still stands the right way up without the tag. Also makes a
 * thumbnail (JPEG, at most 320 px on its longer side).
 */
export async function cleanImage(path: string, mime: string): Promise<CleanImage> {
  try {
    const input = sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
    const encoded = mime === 'image/png' ? input.png() : mime === 'image/webp' ? input.webp({ quality: 85 }) : input.jpeg({ quality: 85, mozjpeg: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
    return { buffer: data, mime, width: info.width, height: info.height, thumbnail };
  } catch (error) {
    // Bytes that start like a photo but are not one (truncated, corrupt, too many pixels).
    throw new AppError('attachment_type_not_allowed', { detected: mime, reason: error instanceof Error ? error.message : 'undecodable image' });
  }
}
