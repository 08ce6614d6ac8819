import { Badge, Button, Code, CopyButton, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { useAuditLog } from '../../../api/hooks/audit.ts';
import { namesById, useCatalog, userName, useUsers } from '../../../api/hooks/directory.ts';
import { holds, isAdmin, useMe } from '../../../api/hooks/session.ts';
import type { TokenDetails } from '../../../api/types.ts';
import { AuditTable } from '../../../components/AuditTable.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FieldList } from '../../../components/FieldList.tsx';
import { Loading } from '../../../components/Loading.tsx';
import { ExpiryCell, StatusBadge } from '../../../components/TokenBadges.tsx';
import { formatDateTime, KIND_LABELS } from '../../../lib/format.ts';
import { TokenActions } from './TokenActions.tsx';

/** Seed 004's inspect view of one token, with its usage, its audit trail and what can be done to it. */
export function TokenInspect({ token, onRotated }: { token: TokenDetails; onRotated: (id: string) => void }) {
  const me = useMe();
  const catalog = useCatalog();
  const canAudit = isAdmin(me.data, 'audit:read');
  const users = useUsers(isAdmin(me.data, 'users:read'));
  const labels = new Map((catalog.data ?? []).map((p) => [p.name, p.label]));
  const user = token.user;

  return (
    <Stack gap="lg">
      <Group gap="xs">
        <StatusBadge status={token.status} />
        <Badge variant="outline">{KIND_LABELS[token.kind]}</Badge>
        {token.retrievable ? (
          <Badge variant="light" color="grape">
            retrievable
          </Badge>
        ) : null}
      </Group>
      <TokenActions
        token={token}
        canReveal={holds(me.data, 'tokens:manage') && me.data?.role === 'admin'}
        onRotated={onRotated}
      />
      <section aria-labelledby="token-settings">
        <Title order={3} size="h5" id="token-settings" mb="xs">
          Token
        </Title>
        <FieldList
          fields={[
            ['Token name', token.name],
            ['API token', <Code key="hint">{token.hint}</Code>],
            ['Description', token.description || '—'],
            ['Tenant id', token.tenantId],
            ['Expiry date', <ExpiryCell key="exp" expiresAt={token.expiresAt} status={token.status} />],
            ['Created', formatDateTime(token.createdAt)],
            [
              'Associated user',
              user
                ? `${user.fullName ? `${user.fullName} · ` : ''}${user.username}${user.email ? ` · ${user.email}` : ''}`
                : `User #${token.userId}`,
            ],
            [
              'Department and user type',
              `${token.department?.name ?? 'Any department'} · ${token.userType?.name ?? 'Any user type'}`,
            ],
            ['Permissions', token.permissions.map((p) => labels.get(p) ?? p).join(', ') || 'None'],
            ['Resources', token.resources.join(', ') || 'Any resource'],
            ...(token.revokedAt
              ? ([['Revoked', formatDateTime(token.revokedAt)]] as [string, string][])
              : []),
            ...(token.parentId
              ? ([['Replaces', <Code key="parent">{token.parentId}</Code>]] as [string, React.ReactNode][])
              : []),
          ]}
        />
      </section>
      <Divider />
      <section aria-labelledby="token-usage">
        <Title order={3} size="h5" id="token-usage" mb="xs">
          Usage
        </Title>
        <FieldList
          fields={[
            ['Last used', formatDateTime(token.lastUsedAt)],
            ['Last used from IP', token.lastUsedIp ?? '—'],
            ['Use count', token.useCount.toLocaleString('en')],
          ]}
        />
      </section>
      <Divider />
      <section aria-labelledby="token-use">
        <Title order={3} size="h5" id="token-use" mb="xs">
          Description of use
        </Title>
        <Text size="sm" mb="xs">
          {token.usage.text}
        </Text>
        <Stack gap="xs">
          {token.usage.examples.map((example) => (
            <Group key={example} gap="xs" wrap="nowrap" align="start">
              <Code block style={{ flex: 1, minWidth: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {example}
              </Code>
              <CopyButton value={example}>
                {({ copied, copy }) => (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    onClick={copy}
                    aria-label={`Copy example: ${example.slice(0, 40)}`}
                  >
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          ))}
        </Stack>
      </section>
      <Divider />
      <section aria-labelledby="token-audit">
        <Title order={3} size="h5" id="token-audit" mb="xs">
          Audit trail
        </Title>
        {canAudit ? (
          <TokenAuditTrail tokenId={token.id} userNames={namesById(users.data, userName)} />
        ) : (
          <Text size="sm" c="dimmed">
            The audit trail is visible to administrators.
          </Text>
        )}
      </section>
    </Stack>
  );
}

function TokenAuditTrail({ tokenId, userNames }: { tokenId: string; userNames: Map<number, string> }) {
  const trail = useAuditLog({ targetId: tokenId, limit: 50 });
  if (trail.isLoading) return <Loading label="Loading the audit trail…" />;
  if (trail.error)
    return <ErrorAlert error={trail.error} title="Could not load the audit trail" onRetry={trail.refetch} />;
  if (!trail.data?.items.length)
    return (
      <Text size="sm" c="dimmed">
        Nothing recorded for this token yet.
      </Text>
    );
  return (
    <AuditTable
      events={trail.data.items}
      userNames={userNames}
      showTarget={false}
      caption="Changes to this token, newest first"
    />
  );
}
