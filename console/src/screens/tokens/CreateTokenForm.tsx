import {
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { holds } from '../../api/hooks/session.ts';
import type { CreateTokenBody, DirectoryEntry, Permission, User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  DEFAULT_EXPIRY,
  type ExpiryChoice,
  ExpiryField,
  expiryBody,
  expiryProblem,
} from '../../components/ExpiryField.tsx';
import { UserPicker } from '../../components/UserPicker.tsx';

export interface CreateTokenFormProps {
  me: User;
  catalog: Permission[];
  maxDays: number;
  /** Whether maxDays comes from the settings (admins) or is the documented default (members). */
  maxDaysKnown: boolean;
  /**
   * Administrators: pick the associated user (searched as they type), department and user type, and make
   * the token retrievable.
   */
  directory?: { departments: DirectoryEntry[]; userTypes: DirectoryEntry[] };
  submitting: boolean;
  error: unknown;
  onSubmit: (body: CreateTokenBody) => void;
  onCancel: () => void;
}

/** Which form field a server error's `field` belongs beside. */
const SERVER_FIELDS: Record<string, string> = {
  name: 'name',
  description: 'description',
  expiresInDays: 'expiry',
  expiresAt: 'expiry',
  permissions: 'permissions',
  userId: 'userId',
  departmentId: 'departmentId',
  userTypeId: 'userTypeId',
  retrievable: 'retrievable',
};

/** Seed 000's and 004's "Create API token" form: validated here first, then by the server. */
export function CreateTokenForm(props: CreateTokenFormProps) {
  const { me, catalog, maxDays, directory } = props;
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [permissions, setPermissions] = useState<string[]>([]);
  const [userId, setUserId] = useState<string>(String(me.id));
  const [picked, setPicked] = useState<User | null>(null);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [userTypeId, setUserTypeId] = useState<string | null>(null);
  const [retrievable, setRetrievable] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const associated = picked && String(picked.id) === userId ? picked : me;
  // A token may carry only what both its user and its creator hold.
  const grantable = (permission: string) => holds(associated, permission) && holds(me, permission);
  const server = splitFormError(props.error, SERVER_FIELDS);
  const fieldError = (field: string) => errors[field] ?? server.fieldErrors[field];

  const validate = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Give the token a name.';
    else if (name.trim().length > 100) found.name = 'At most 100 characters.';
    if (description.length > 1000) found.description = 'At most 1000 characters.';
    const expiryError = expiryProblem(expiry, maxDays);
    if (expiryError) found.expiry = expiryError;
    if (permissions.length === 0) found.permissions = 'Choose at least one permission.';
    const notGrantable = permissions.filter((p) => !grantable(p));
    if (notGrantable.length)
      found.permissions = `Not held by ${associated.username}: ${notGrantable.join(', ')}.`;
    return found;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length) return;
    const body: CreateTokenBody = {
      name: name.trim(),
      permissions,
      ...(description.trim() ? { description: description.trim() } : {}),
      ...expiryBody(expiry),
    };
    if (directory) {
      body.userId = Number(userId);
      if (departmentId) body.departmentId = Number(departmentId);
      if (userTypeId) body.userTypeId = Number(userTypeId);
      if (retrievable) body.retrievable = true;
    }
    props.onSubmit(body);
  };

  const clear = (field: string) => setErrors(({ [field]: _, ...rest }) => rest);

  return (
    <form onSubmit={submit} noValidate aria-label="Create token">
      <Stack>
        <TextInput
          label="Name"
          required
          value={name}
          maxLength={100}
          onChange={(event) => {
            setName(event.currentTarget.value);
            clear('name');
          }}
          error={fieldError('name')}
          data-autofocus
        />
        <Textarea
          label="Description"
          description="Optional: what the token is for, so that others know whether it is still needed."
          value={description}
          autosize
          minRows={2}
          maxRows={5}
          onChange={(event) => {
            setDescription(event.currentTarget.value);
            clear('description');
          }}
          error={fieldError('description')}
        />
        <ExpiryField
          value={expiry}
          onChange={(value) => {
            setExpiry(value);
            clear('expiry');
          }}
          maxDays={maxDays}
          maxDaysKnown={props.maxDaysKnown}
          error={fieldError('expiry')}
        />
        <Checkbox.Group
          label="Permissions"
          description="Grant only what the integration needs."
          value={permissions}
          onChange={(value) => {
            setPermissions(value);
            clear('permissions');
          }}
          error={fieldError('permissions')}
          required
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
            {catalog.map((permission) => (
              <Checkbox
                key={permission.name}
                value={permission.name}
                label={permission.label}
                description={
                  grantable(permission.name) ? permission.description : `Not held by ${associated.username}`
                }
                disabled={!grantable(permission.name) && !permissions.includes(permission.name)}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        {directory ? (
          <>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <UserPicker
                label="User"
                description="Whose permissions bound the token"
                placeholder="Type to search"
                known={[me]}
                value={userId}
                onChange={(id, user) => {
                  setUserId(id || String(me.id));
                  setPicked(user);
                  clear('userId');
                  clear('permissions');
                }}
                error={fieldError('userId')}
              />
              <Select
                label="Department"
                description="Limit the token to one department"
                clearable
                placeholder="Any department"
                data={directory.departments.map((d) => ({ value: String(d.id), label: d.name }))}
                value={departmentId}
                onChange={setDepartmentId}
                error={fieldError('departmentId')}
              />
              <Select
                label="User type"
                description="Limit the token to one user type"
                clearable
                placeholder="Any user type"
                data={directory.userTypes.map((t) => ({ value: String(t.id), label: t.name }))}
                value={userTypeId}
                onChange={setUserTypeId}
                error={fieldError('userTypeId')}
              />
            </SimpleGrid>
            <Switch
              label="Retrievable"
              description="Keep the token encrypted so that administrators can reveal it again later (each reveal is audited)."
              checked={retrievable}
              onChange={(event) => setRetrievable(event.currentTarget.checked)}
              error={fieldError('retrievable')}
            />
          </>
        ) : null}
        <ErrorAlert error={server.general} title="The token was not created" />
        {Object.keys(errors).length ? (
          <Text size="sm" c="red" role="alert">
            Check the fields marked above.
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={props.submitting}>
            Generate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
