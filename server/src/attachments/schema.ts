import { Type } from 'typebox';
import { Nullable } from '../core/schemas.ts';

export const AttachmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('voice')]),
  mime: Type.String({ description: 'The type found in the bytes (photos: after re-encoding without metadata)' }),
  sizeBytes: Type.Integer(),
  sha256: Type.String({ description: 'Of the stored bytes' }),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  hasThumbnail: Type.Boolean(),
  source: Type.String({ description: 'web (citizen), staff, telegram or bale' }),
  createdAt: Type.String(),
});

export const AttachmentParams = Type.Object({ id: Type.String({ format: 'uuid' }), attachmentId: Type.String({ format: 'uuid' }) });
export const TrackAttachmentParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }), attachmentId: Type.String({ format: 'uuid' }) });
export const VariantQuery = Type.Object(
  { variant: Type.Optional(Type.Union([Type.Literal('original'), Type.Literal('thumbnail')], { default: 'original' })) },
  { additionalProperties: false },
);
export const UploadReply = Type.Object({ attachment: AttachmentSchema, replayed: Type.Boolean() });
export const FileBody = Type.String({ format: 'binary', description: 'The file’s bytes, with the type found in them' });

export const UPLOAD_DESCRIPTION =
  'multipart/form-data with one part named `file`. The type is taken from the bytes (JPEG, PNG, WebP photos; MP4, WebM, MOV, 3GP video; OGG/Opus, MP3, M4A, WAV, AMR voice), never from the name or declared type. Photos are re-encoded without EXIF/GPS/device metadata (orientation applied) and get a thumbnail. Size limits per kind: ATTACHMENT_MAX_*_KB.';
