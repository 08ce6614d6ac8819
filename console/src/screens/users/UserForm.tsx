import {
  Button,
  Checkbox,
  Group,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import type { DirectoryEntry, NewUser, Permission, User, UserChanges } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { generatePassword, passwordRule, USERNAME_PATTERN, usePasswordMinLength } from './password.ts';

/**
 * Server field → the form control its message goes beside (PERMISSION_NOT_HELD, a password the policy
 * refuses, a taken username…). A field whose own input is hidden points at the control that hid it, so
 * no message is lost.
 */
function serverFields(values: Values): Record<string, string> {
  return {
    username: 'username',
    fullName: 'fullName',
    email: 'email',
    role: 'role',
    departmentId: 'departmentId',
    userTypeId: 'userTypeId',
    sso: 'sso',
    password: values.sso ? 'sso' : values.generate ? 'generate' : 'password',
    permissions: values.customPermissions ? 'permissions' : 'customPermissions',
  };
}

const ROLE_OPTIONS = [
  { value: 'member', label: 'Member' },
  { value: 'admin', label: 'Administrator' },
];

const entryOptions = (entries: DirectoryEntry[]) => [
  { value: '', label: 'None' },
  ...entries.map((e) => ({ value: String(e.id), label: e.name })),
];

interface Values {
  username: string;
  fullName: string;
  email: string;
  role: 'admin' | 'member';
  departmentId: string;
  userTypeId: string;
  sso: boolean;
  generate: boolean;
  password: string;
  customPermissions: boolean;
  permissions: string[];
}

function initialValues(user: User | undefined): Values {
  return {
    username: user?.username ?? '',
    fullName: user?.fullName ?? '',
    email: user?.email ?? '',
    role: user?.role ?? 'member',
    departmentId: user?.departmentId ? String(user.departmentId) : '',
    userTypeId: user?.userTypeId ? String(user.userTypeId) : '',
    sso: user?.sso ?? false,
    generate: false,
    password: '',
    customPermissions: user ? user.permissions !== null : false,
    permissions: user?.permissions ?? [],
  };
}

function check(
  values: Values,
  creating: boolean,
  passwordProblem: (password: string) => string | undefined,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const username = values.username.trim().toLowerCase();
  if (!username) errors.username = 'Enter a username.';
  else if (!USERNAME_PATTERN.test(username))
    errors.username = 'Use letters, digits and . _ @ + - only, starting with a letter or digit.';
  if (values.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim()))
    errors.email = 'Enter an email address like name@example.com.';
  const needsPassword = creating && !values.sso && !values.generate;
  if (needsPassword && !values.password) errors.password = 'Enter a password, or generate one.';
  const typed = !values.sso && !values.generate && values.password !== '';
  const problem = typed ? passwordProblem(values.password) : undefined;
  if (problem) errors.password = problem;
  if (values.customPermissions && values.permissions.length === 0)
    errors.permissions = "Choose at least one permission, or use the role's defaults.";
  return errors;
}

/** The request body for a new user, and the generated password to show once (or null). */
function toNewUser(values: Values): { body: NewUser; generated: string | null } {
  const generated = values.generate && !values.sso ? generatePassword() : null;
  // A single-sign-on user has no password: one typed before switching to single sign-on is not sent.
  const password = values.sso ? undefined : (generated ?? (values.password || undefined));
  const body: NewUser = {
    username: values.username.trim().toLowerCase(),
    fullName: values.fullName.trim() || null,
    email: values.email.trim() || null,
    role: values.role,
    departmentId: values.departmentId ? Number(values.departmentId) : null,
    userTypeId: values.userTypeId ? Number(values.userTypeId) : null,
    permissions: values.customPermissions ? values.permissions : null,
    sso: values.sso,
    ...(password ? { password } : {}),
  };
  return { body, generated };
}

/** Only what changed, as PATCH /api/users/{id} wants it. */
function toChanges(values: Values, user: User): { changes: UserChanges; generated: string | null } {
  const { body, generated } = toNewUser(values);
  const changes: UserChanges = {};
  if (body.username !== user.username) changes.username = body.username;
  if (body.fullName !== user.fullName) changes.fullName = body.fullName ?? null;
  if (body.email !== user.email) changes.email = body.email ?? null;
  if (body.role !== user.role) changes.role = body.role;
  if (body.departmentId !== user.departmentId) changes.departmentId = body.departmentId ?? null;
  if (body.userTypeId !== user.userTypeId) changes.userTypeId = body.userTypeId ?? null;
  if (body.sso !== user.sso) changes.sso = body.sso;
  const before = user.permissions ? [...user.permissions].sort().join() : null;
  const after = body.permissions ? [...body.permissions].sort().join() : null;
  if (before !== after) changes.permissions = body.permissions ?? null;
  if (body.password) changes.password = body.password;
  return { changes, generated };
}

interface UserFormProps {
  /** The user to edit; absent: a new user. */
  user?: User;
  /** Editing one's own user: password and email change on My profile, which asks for the current password. */
  self?: boolean;
  catalog: Permission[];
  departments: DirectoryEntry[];
  userTypes: DirectoryEntry[];
  submitting: boolean;
  error: unknown;
  onCreate?: (body: NewUser, generatedPassword: string | null) => void;
  onUpdate?: (changes: UserChanges, generatedPassword: string | null) => void;
  onCancel: () => void;
}

/** Create or edit a user: identity, role, department, user type, password, and optional permissions. */
export function UserForm(props: UserFormProps) {
  const { user, catalog, submitting, error, onCancel } = props;
  const creating = user === undefined;
  const self = !creating && props.self === true;
  const rule = passwordRule(usePasswordMinLength());
  const [values, setValues] = useState<Values>(() => initialValues(user));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const { fieldErrors, general } = splitFormError(error, serverFields(values));
  const fieldError = (field: string) => localErrors[field] ?? fieldErrors[field];
  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setLocalErrors(({ [field]: _, ...rest }) => rest);
  };
  const text = (field: 'username' | 'fullName' | 'email' | 'password') => ({
    value: values[field],
    onChange: (event: { currentTarget: { value: string } }) => set(field, event.currentTarget.value),
    error: fieldError(field),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = check(values, creating, rule.problem);
    if (!creating) {
      const { changes } = toChanges(values, user);
      if (Object.keys(errors).length === 0 && Object.keys(changes).length === 0 && !values.generate)
        errors.form = 'Nothing has changed.';
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    if (creating) {
      const { body, generated } = toNewUser(values);
      props.onCreate?.(body, generated);
    } else {
      const { changes, generated } = toChanges(values, user);
      props.onUpdate?.(changes, generated);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Username"
            required
            data-autofocus
            autoComplete="off"
            description="Lower case; used to sign in."
            {...text('username')}
          />
          <TextInput label="Full name" autoComplete="off" {...text('fullName')} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="off"
            {...text('email')}
            {...(self
              ? { readOnly: true, variant: 'filled', description: 'Change your own email on My profile.' }
              : {})}
          />
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            value={values.role}
            onChange={(value) => set('role', (value ?? 'member') as Values['role'])}
            allowDeselect={false}
            error={fieldError('role')}
          />
          <Select
            label="Department"
            data={entryOptions(props.departments)}
            value={values.departmentId}
            onChange={(value) => set('departmentId', value ?? '')}
            allowDeselect={false}
            error={fieldError('departmentId')}
          />
          <Select
            label="User type"
            data={entryOptions(props.userTypes)}
            value={values.userTypeId}
            onChange={(value) => set('userTypeId', value ?? '')}
            allowDeselect={false}
            error={fieldError('userTypeId')}
          />
        </SimpleGrid>
        <Switch
          label="Signs in with single sign-on"
          description="Gets refresh tokens from the console instead of with a password."
          checked={values.sso}
          onChange={(event) => set('sso', event.currentTarget.checked)}
          error={fieldError('sso')}
        />
        {self && !values.sso ? (
          <Text size="sm" c="dimmed">
            Change your own password on My profile, which asks for your current one.
          </Text>
        ) : null}
        {values.sso || self ? null : (
          <Stack gap="xs">
            <Checkbox
              label={creating ? 'Generate a password' : 'Generate a new password'}
              description="Shown once after saving, to pass on to the user."
              checked={values.generate}
              onChange={(event) => set('generate', event.currentTarget.checked)}
              error={fieldError('generate')}
            />
            {values.generate ? null : (
              <PasswordInput
                label={creating ? 'Password' : 'New password'}
                required={creating}
                autoComplete="new-password"
                description={
                  creating
                    ? rule.description
                    : `Leave empty to keep the current password. ${rule.description}`
                }
                {...text('password')}
                aria-invalid={Boolean(fieldError('password'))}
                maw={360}
              />
            )}
          </Stack>
        )}
        <Switch
          label="Custom permissions"
          description={
            values.customPermissions
              ? 'Only the permissions chosen below.'
              : `The ${values.role === 'admin' ? 'administrator' : 'member'} role's default permissions.`
          }
          checked={values.customPermissions}
          onChange={(event) => set('customPermissions', event.currentTarget.checked)}
          error={fieldError('customPermissions')}
        />
        {values.customPermissions ? (
          <Checkbox.Group
            label="Permissions"
            value={values.permissions}
            onChange={(value) => set('permissions', value)}
            error={fieldError('permissions')}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
              {catalog.map((permission) => (
                <Checkbox
                  key={permission.name}
                  value={permission.name}
                  label={permission.label}
                  description={permission.description}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
        ) : null}
        {localErrors.form ? (
          <Text size="sm" c="dimmed" role="status">
            {localErrors.form}
          </Text>
        ) : null}
        <ErrorAlert
          error={general}
          title={creating ? 'Could not create the user' : 'Could not save the user'}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting}>
            {creating ? 'Create user' : 'Save changes'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
