import { Anchor, Card, Group, Image, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';

export interface Attachment {
  id: string;
  kind: 'image' | 'video' | 'audio';
  mime: string;
  size: number;
  url: string;
  thumbnailUrl: string | null;
  createdAt: string;
}

/** The complaint's photos, videos and voice notes, fetched through the access-checked API. */
export function AttachmentList({ complaintId }: { complaintId: string }) {
  const { t } = useI18n();
  const list = useQuery({
    queryKey: ['attachments', complaintId],
    queryFn: () => api<{ items: Attachment[] }>(`/complaints/${complaintId}/attachments`).then((r) => r.items),
    retry: false,
  });
  if (!list.data?.length) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('پیوست‌ها', 'Attachments')}
      </Title>
      <Group>
        {list.data.map((a) => (
          <Stack key={a.id} gap={2} align="center">
            {a.kind === 'image' ? (
              <Anchor href={a.url} target="_blank">
                <Image src={a.thumbnailUrl ?? a.url} alt={t('عکس پیوست', 'Attached photo')} w={120} h={120} fit="cover" radius="sm" />
              </Anchor>
            ) : a.kind === 'video' ? (
              // biome-ignore lint/a11y/useMediaCaption: citizens' own recordings have no captions
              <video src={a.url} controls width={220} />
            ) : (
              // biome-ignore lint/a11y/useMediaCaption: citizens' own recordings have no captions
              <audio src={a.url} controls />
            )}
            <Text size="xs" c="dimmed">
              {Math.ceil(a.size / 1024)} KB
            </Text>
          </Stack>
        ))}
      </Group>
    </Card>
  );
}
