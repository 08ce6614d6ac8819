import { Drawer } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useToken } from '../../../api/hooks/tokens.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Loading } from '../../../components/Loading.tsx';
import { TokenInspect } from './TokenInspect.tsx';

/** The inspect view beside the list, opened by the address /tokens/{id} (so it can be linked to). */
export function TokenInspectDrawer({
  id,
  onClose,
  onOpen,
}: {
  id: string | undefined;
  onClose: () => void;
  onOpen: (id: string) => void;
}) {
  const narrow = useMediaQuery('(max-width: 48em)');
  const token = useToken(id);
  return (
    <Drawer
      opened={Boolean(id)}
      onClose={onClose}
      position="right"
      size={narrow ? '100%' : 720}
      title={token.data ? token.data.name : 'Token'}
      closeButtonProps={{ 'aria-label': 'Close token details' }}
    >
      {token.isLoading ? <Loading label="Loading the token…" /> : null}
      <ErrorAlert error={token.error} title="Could not load the token" onRetry={token.refetch} />
      {token.data ? <TokenInspect token={token.data} onRotated={onOpen} /> : null}
    </Drawer>
  );
}
