import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { UseMutationResult } from '@tanstack/react-query';
import { useState } from 'react';
import { plural } from '../lib/format.ts';
import { ConfirmModal } from './ConfirmModal.tsx';

interface BulkRevokeProps {
  selected: Set<string>;
  /** What a row is, singular: "session", "token". */
  noun: string;
  /** Revokes the ids in one request; resolves to how many were still active. */
  revoke: UseMutationResult<number, Error, string[]>;
  /** Called once the revocation went through, to clear the selection. */
  onRevoked: () => void;
  /** What revoking that many will do, said in the confirmation. */
  consequence: (count: number) => string;
}

/** "Revoke selected (n)" and the confirmation that names how many; reports rows that were no longer active. */
export function BulkRevoke({ selected, noun, revoke, onRevoked, consequence }: BulkRevokeProps) {
  const [confirming, setConfirming] = useState(false);
  const revokeSelected = () =>
    revoke.mutate([...selected], {
      onSuccess: (revoked) => {
        const asked = selected.size;
        setConfirming(false);
        onRevoked();
        notifications.show({
          color: 'green',
          message:
            revoked === asked
              ? `Revoked ${plural(revoked, noun)}.`
              : `Revoked ${plural(revoked, noun)}; ${asked - revoked} were no longer active.`,
        });
      },
    });
  return (
    <>
      <Button color="red" variant="light" disabled={selected.size === 0} onClick={() => setConfirming(true)}>
        Revoke selected{selected.size ? ` (${selected.size})` : ''}
      </Button>
      <ConfirmModal
        opened={confirming}
        title={`Revoke ${plural(selected.size, noun)}?`}
        confirmLabel={`Revoke ${plural(selected.size, noun)}`}
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={revokeSelected}
        onClose={() => {
          revoke.reset();
          setConfirming(false);
        }}
      >
        {consequence(selected.size)}
      </ConfirmModal>
    </>
  );
}
