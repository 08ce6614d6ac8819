import { Modal } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  useCatalog,
  useDepartments,
  useSettings,
  useUsers,
  useUserTypes,
} from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { useCreateToken } from '../../api/hooks/tokens.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { CreateTokenForm } from './CreateTokenForm.tsx';
import { DEFAULT_MAX_DAYS } from './expiry.ts';
import { TokenCreated } from './TokenCreated.tsx';

/** "Create token": the form, then the token shown once. */
export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const narrow = useMediaQuery('(max-width: 40em)');
  const create = useCreateToken();
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={create.data ? 'Token created' : 'Create token'}
      size="lg"
      fullScreen={narrow ?? false}
      closeOnClickOutside={!create.data}
    >
      {create.data ? (
        <TokenCreated token={create.data} onDone={close} />
      ) : (
        <CreateTokenFormLoader
          submitting={create.isPending}
          error={create.error}
          onSubmit={(body) => create.mutate(body)}
          onCancel={close}
        />
      )}
    </Modal>
  );
}

/** Loads what the form offers: the catalog, the maximum lifetime, and (for admins) users and the directory. */
function CreateTokenFormLoader(props: {
  submitting: boolean;
  error: unknown;
  onSubmit: Parameters<typeof CreateTokenForm>[0]['onSubmit'];
  onCancel: () => void;
}) {
  const me = useMe();
  const admin = isAdmin(me.data, 'users:read');
  const catalog = useCatalog();
  const settings = useSettings(isAdmin(me.data, 'settings:manage'));
  const users = useUsers(admin);
  const departments = useDepartments(admin);
  const userTypes = useUserTypes(admin);
  const queries = [me, catalog, ...(admin ? [users, departments, userTypes] : [])];
  const failed = queries.find((q) => q.error);
  if (failed)
    return <ErrorAlert error={failed.error} title="Could not load the form" onRetry={failed.refetch} />;
  if (queries.some((q) => q.isLoading) || settings.isLoading) return <Loading label="Loading the form…" />;

  const maxDays = settings.data?.['authentication.token.api_token_max_lifespan'] ?? DEFAULT_MAX_DAYS;
  return (
    <CreateTokenForm
      me={me.data!}
      catalog={catalog.data ?? []}
      maxDays={maxDays}
      maxDaysKnown={Boolean(settings.data)}
      directory={
        admin
          ? { users: users.data ?? [], departments: departments.data ?? [], userTypes: userTypes.data ?? [] }
          : undefined
      }
      {...props}
    />
  );
}
