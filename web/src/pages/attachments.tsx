import { Anchor, Card, FileInput, Group, Image, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { ErrorAlert } from '../components.tsx';
import { num } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { type Attachment, uploadAttachments } from '../uploads.ts';

/**
 * Fetches one attachment through the access-checked API. Staff send their cookie with a plain URL;
 * a citizen's token travels in a header, so their files are fetched and shown from a blob URL.
 */
function useFileUrl(path: string, token: string | null): string | null {
  const [url, setUrl] = useState<string | null>(token ? null : `/api/v1${path}`);
  useEffect(() => {
    if (!token) {
      setUrl(`/api/v1${path}`);
      return;
    }
    let revoked = false;
    let objectUrl: string | null = null;
    void fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => {
        if (revoked || !blob) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      });
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [path, token]);
  return url;
}

/** One file, its thumbnail (a photo) or player, and its size. */
export function AttachmentView({ base, attachment, token }: { base: string; attachment: Attachment; token: string | null }) {
  const { t, lang } = useI18n();
  const original = useFileUrl(`${base}/${attachment.id}`, token);
  const thumbnail = useFileUrl(`${base}/${attachment.id}?variant=${attachment.hasThumbnail ? 'thumbnail' : 'original'}`, token);
  return (
    <Stack gap={2} align="center" data-testid="attachment">
      {attachment.kind === 'image' ? (
        <Anchor href={original ?? undefined} target="_blank">
          <Image src={thumbnail ?? undefined} alt={t('عکس پیوست', 'Attached photo')} w={120} h={120} fit="cover" radius="sm" />
        </Anchor>
      ) : attachment.kind === 'video' ? (
        // biome-ignore lint/a11y/useMediaCaption: citizens' own recordings have no captions
        <video src={original ?? undefined} controls width={220} />
      ) : (
        // biome-ignore lint/a11y/useMediaCaption: citizens' own recordings have no captions
        <audio src={original ?? undefined} controls />
      )}
      <Text size="xs" c="dimmed">
        {num(Math.ceil(attachment.sizeBytes / 1024), lang)} {t('کیلوبایت', 'KB')}
      </Text>
    </Stack>
  );
}

/** A complaint's photos, videos and voice notes, and (for those who may) a control to add more. */
export function AttachmentList({
  complaintId,
  citizen,
  canUpload = false,
}: {
  complaintId: string;
  citizen?: { code: string; token: string; attachments: Attachment[] };
  canUpload?: boolean;
}) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const list = useQuery({
    queryKey: ['attachments', complaintId],
    queryFn: () => api<Attachment[]>(`/complaints/${complaintId}/attachments`),
    enabled: !citizen,
    retry: false,
  });
  const upload = useMutation({
    mutationFn: () => uploadAttachments(complaintId, files, citizen ? { kind: 'citizen', code: citizen.code, token: citizen.token } : { kind: 'staff' }, lang),
    onSuccess: () => {
      setFiles([]);
      void client.invalidateQueries({ queryKey: ['attachments', complaintId] });
      void client.invalidateQueries({ queryKey: ['track-full'] });
      void client.invalidateQueries({ queryKey: ['complaint', complaintId] });
    },
  });
  const items = citizen ? citizen.attachments : (list.data ?? []);
  const base = citizen ? `/track/${citizen.code}/attachments` : `/complaints/${complaintId}/attachments`;
  if (!items.length && !canUpload) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('پیوست‌ها', 'Attachments')}
      </Title>
      <Group>
        {items.map((a) => (
          <AttachmentView key={a.id} base={base} attachment={a} token={citizen?.token ?? null} />
        ))}
      </Group>
      {canUpload && (
        <Group align="end" mt="sm">
          <FileInput
            label={t('افزودن عکس، فیلم یا صدا', 'Add a photo, video or voice note')}
            multiple
            accept="image/*,video/*,audio/*"
            value={files}
            onChange={setFiles}
            style={{ flex: 1 }}
            clearable
          />
          <Anchor component="button" type="button" onClick={() => upload.mutate()} disabled={!files.length}>
            {t('بارگذاری', 'Upload')}
          </Anchor>
        </Group>
      )}
      {upload.data?.failed.length ? <Text c="red.9">{upload.data.failed.join('، ')}</Text> : null}
      <ErrorAlert error={upload.error} />
    </Card>
  );
}
