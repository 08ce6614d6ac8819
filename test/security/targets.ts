import { randomUUID } from 'node:crypto';
import { DAY } from '../../src/core/clock.ts';
import { cliPrincipal } from '../../src/core/principal.ts';
import { standInSpec } from '../../src/core/token-rules.ts';
import type { Principal, World, WorldUser } from './principals.ts';
import { unique } from './principals.ts';

/**
 * The objects a matrix request names, made fresh for every request (a wrongly allowed DELETE must not
 * change what the next cell sees): each belongs to a chosen user of a chosen tenant.
 */

export type TargetKind =
  | 'token'
  | 'tokenString'
  | 'pat'
  | 'refreshToken'
  | 'session'
  | 'user'
  | 'victimUser'
  | 'department'
  | 'userType'
  | 'client'
  | 'report'
  | 'uuid';

/** Whose object: the principal's own user's, another user's of its tenant, or a user's of the other tenant. */
export type Owner = 'self' | 'peer' | 'stranger';

/** The user an object of `owner` belongs to, seen from the principal. */
export function ownerUser(w: World, p: Principal, owner: Owner): WorldUser {
  const { users } = w;
  const inOther = p.user?.tenant === users.otherAdmin.tenant;
  if (owner === 'self' && p.user) return p.user;
  if (owner === 'stranger') return inOther ? users.victim : users.otherMember;
  return inOther ? users.otherMember : users.victim;
}

/** The administrator of a user's tenant, who makes the tenant-wide objects. */
function adminOf(w: World, user: WorldUser): WorldUser {
  return user.tenant === w.users.admin.tenant ? w.users.admin : w.users.otherAdmin;
}

/** Makes an object of the kind for the user and returns the id (or string) the request puts in its path or body. */
export async function makeTarget(w: World, kind: TargetKind, user: WorldUser, p: Principal): Promise<string> {
  const { t } = w;
  const { tessera } = t.server;
  const admin = adminOf(w, user);
  const actor = cliPrincipal(user.tenant, admin.id);
  switch (kind) {
    case 'token':
    case 'tokenString':
    case 'pat':
    case 'refreshToken': {
      // Made in the core: the owner's own rules (who may make what) are not what these requests test.
      const tokenKind = kind === 'pat' ? 'pat' : kind === 'refreshToken' ? 'rt' : 'api';
      const spec = standInSpec(
        { id: user.id, departmentId: null, userTypeId: null },
        tokenKind,
        unique('target'),
        t.clock.now() + 30 * DAY,
        tokenKind === 'api'
          ? { permissions: [user.username === 'radmin' ? 'users:read' : 'reports:read'], retrievable: true }
          : tokenKind === 'rt'
            ? { familyId: randomUUID() }
            : {},
      );
      const issued = await tessera.tokens.issue(tessera.store, user.tenant, admin.id, spec);
      return kind === 'tokenString' ? issued.token : issued.record.id;
    }
    case 'session': {
      const spec = standInSpec(
        { id: user.id, departmentId: null, userTypeId: null },
        'ses',
        'Mobile session',
        t.clock.now() + DAY,
        { sessionType: 'mobile', deviceName: 'Target phone' },
      );
      const issued = await tessera.tokens.issue(tessera.store, user.tenant, user.id, spec);
      return issued.record.id;
    }
    case 'user':
      return String((await tessera.users.createAs(actor, { username: unique('target-user') })).id);
    case 'victimUser':
      return String(user.id);
    case 'department':
    case 'userType': {
      const entry = await tessera.directory.create(
        actor,
        kind === 'department' ? 'departments' : 'user_types',
        { name: unique(kind) },
      );
      return String(entry.id);
    }
    case 'client':
      return (await tessera.clients.create(actor, { name: unique('client'), permissions: ['reports:read'] }))
        .client.id;
    case 'report':
      if (p.kind === 'shareToken' && user === p.user) return w.sharedReportId;
      return (await tessera.reports.create(actor, { id: `sec:${unique('target')}`, name: 'Target report' }))
        .id;
    case 'uuid':
      return randomUUID();
  }
}
