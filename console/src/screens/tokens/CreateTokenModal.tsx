import { useCatalog, useDepartments, useUserTypes } from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { useCreateToken } from '../../api/hooks/tokens.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useMaxTokenDays } from '../../lib/expiry.ts';
import { CreateTokenForm } from './CreateTokenForm.tsx';
import { CreateTokenDialog } from './TokenCreated.tsx';

/** "Create token": the form, then the token shown once. */
export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateToken();
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <CreateTokenDialog
      opened={opened}
      onClose={close}
      title="Create token"
      createdTitle="Token created"
      created={create.data}
    >
      <CreateTokenFormLoader
        submitting={create.isPending}
        error={create.error}
        onSubmit={(body) => create.mutate(body)}
        onCancel={close}
      />
    </CreateTokenDialog>
  );
}

/** Loads what the form offers: the catalog, the maximum lifetime, and (for admins) the directory. */
function CreateTokenFormLoader(props: {
  submitting: boolean;
  error: unknown;
  onSubmit: Parameters<typeof CreateTokenForm>[0]['onSubmit'];
  onCancel: () => void;
}) {
  const me = useMe();
  const admin = isAdmin(me.data, 'users:read');
  const catalog = useCatalog();
  const lifetime = useMaxTokenDays();
  const departments = useDepartments(admin);
  const userTypes = useUserTypes(admin);
  const queries = [me, catalog, ...(admin ? [departments, userTypes] : [])];
  const failed = queries.find((q) => q.error);
  if (failed)
    return <ErrorAlert error={failed.error} title="Could not load the form" onRetry={failed.refetch} />;
  if (queries.some((q) => q.isLoading) || lifetime.isLoading) return <Loading label="Loading the form…" />;

  return (
    <CreateTokenForm
      me={me.data!}
      catalog={catalog.data ?? []}
      maxDays={lifetime.maxDays}
      maxDaysKnown={lifetime.known}
      directory={admin ? { departments: departments.data ?? [], userTypes: userTypes.data ?? [] } : undefined}
      {...props}
    />
  );
}
