import type { AuditLog } from './audit.ts';
import { DEFAULT_TENANT } from './auth.ts';
import type { Clock } from './clock.ts';
import type { CloudPublisher, CloudWarning, ReportToken } from './cloud-port.ts';
import { invalid, TesseraError } from './errors.ts';
import type { Page, Report } from './model.ts';
import { isAdmin, type Principal, requireAdmin, requirePermission } from './principal.ts';
import { mayReachReport, reportResource, requireShareLinkRight } from './report-access.ts';
import type { TokenCipher } from './secrets.ts';
import type { SettingsService } from './settings-service.ts';
import type { ReportQuery, Store } from './store.ts';
import { cleanName } from './text.ts';
import type { IssuedToken, TokenService } from './tokens.ts';
import type { Verifier } from './verifier.ts';

/** A report id such as `team:sales-dashboard`: one URL path segment, never `.` or `..`. */
export const REPORT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;
const MAX_VIEWER_URL = 2000;
const PLACEHOLDERS = /\{(token|reportId)\}/g;

export interface ReportInput {
  id: string;
  name: string;
  description?: string | null;
  viewerUrl?: string | null;
}

export type ReportPatch = Partial<Omit<ReportInput, 'id'>>;

export interface ShareTokenInput {
  reportId: string;
  name?: string;
  expiresInDays?: number;
  expiresAt?: string;
}

/** `GET /api/reports/{id}/tokens` (seed 001): local tokens, then the cloud's, or a warning instead of them. */
export interface ReportTokenListing {
  tokens: ReportToken[];
  warning: CloudWarning | null;
}

/** What a share link opens: the report (null for an invalid link) and who may frame the page. */
export interface SharePage {
  report: Report | null;
  /** The viewer URL with the token and report id filled in; null when the report has none. */
  viewerSrc: string | null;
  /** Origins from `sharing.frame_ancestors`, besides the instance itself. */
  frameAncestors: string[];
}

/** The resource string a share token is bound to. */

/** Fills a viewer URL template with the token and report id, both URL-encoded. */
export function viewerSource(template: string, token: string, reportId: string): string {
  return template.replace(PLACEHOLDERS, (_match, name: string) =>
    encodeURIComponent(name === 'token' ? token : reportId),
  );
}

/** A local share token's link: the page `/view/{token}` on this instance. */
export const shareLink = (baseUrl: string, token: string): string => `${baseUrl}/view/${token}`;

/**
 * Reports (seed 001) and their share tokens: Tessera does not render a report, it decides who may see one.
 * Reading needs `reports:read`; creating, changing and deleting needs an admin with `reports:manage`. A
 * share token (`shr`) reads only the report it is bound to.
 */
export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly cipher: TokenCipher,
    private readonly verifier: Verifier,
    private readonly settings: SettingsService,
    private readonly audit: AuditLog,
    private readonly cloud?: CloudPublisher,
  ) {}

  list(principal: Principal, query: ReportQuery): Promise<Page<Report>> {
    requirePermission(principal, 'reports:read');
    return this.store.reports.list(principal.tenantId, query);
  }

  /** One report: for `reports:read`, or for a share token (or bound token) of this very report. */
  async get(principal: Principal, id: string): Promise<Report> {
    if (principal.kind !== 'shr') requirePermission(principal, 'reports:read');
    if (!(await this.mayOpen(principal, id))) throw notFound(id);
    return this.find(principal.tenantId, id);
  }

  async create(principal: Principal, input: ReportInput): Promise<Report> {
    requireAdmin(principal, 'reports:manage');
    const id = checkId(input.id);
    const now = this.clock.now();
    const report: Report = {
      tenantId: principal.tenantId,
      id,
      name: checkName(input.name),
      description: input.description ?? null,
      viewerUrl: checkViewerUrl(input.viewerUrl ?? null),
      createdBy: principal.userId,
      createdAt: now,
      updatedAt: now,
    };
    return this.store.transaction(async (tx) => {
      const created = await tx.reports.insert(report);
      await this.audit.record(tx, principal, 'report.create', { type: 'report', id }, { name: report.name });
      return created;
    });
  }

  async update(principal: Principal, id: string, patch: ReportPatch): Promise<Report> {
    requireAdmin(principal, 'reports:manage');
    const clean = {
      ...(patch.name === undefined ? {} : { name: checkName(patch.name) }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.viewerUrl === undefined ? {} : { viewerUrl: checkViewerUrl(patch.viewerUrl) }),
    };
    return this.store.transaction(async (tx) => {
      const updated = await tx.reports.update(principal.tenantId, id, {
        ...clean,
        updatedAt: this.clock.now(),
      });
      if (!updated) throw notFound(id);
      await this.audit.record(tx, principal, 'report.update', { type: 'report', id }, clean);
      return updated;
    });
  }

  /** Deletes a report and revokes its share tokens in the same transaction. */
  async delete(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal, 'reports:manage');
    const revoked = await this.store.transaction(async (tx) => {
      const rows = await tx.reports.revokeTokens(principal.tenantId, id, this.clock.now());
      if (!(await tx.reports.delete(principal.tenantId, id))) throw notFound(id);
      await this.audit.record(
        tx,
        principal,
        'report.delete',
        { type: 'report', id },
        { revokedTokens: rows.length },
      );
      return rows;
    });
    this.verifier.forget(revoked.map((r) => r.hash));
  }

  /**
   * A share token (`shr`) for a report of the caller's tenant: bound to it and nothing else, no permissions,
   * retrievable (kept encrypted so the report's listing can show it). Expiry as for API tokens. A share link
   * lets anyone holding it read the report, so it takes `tokens:manage` and `reports:read`, and either
   * `reports:manage` (an admin) or being the report's creator.
   */
  async createShareToken(principal: Principal, input: ShareTokenInput): Promise<IssuedToken> {
    requirePermission(principal, 'tokens:manage');
    requirePermission(principal, 'reports:read');
    const report = await this.store.reports.get(principal.tenantId, checkId(input.reportId, 'reportId'));
    if (!report || !(await this.mayOpen(principal, report.id))) {
      throw new TesseraError('REPORT_NOT_FOUND', `reportId: no report ${input.reportId} in your tenant.`, {
        field: 'reportId',
      });
    }
    requireShareLinkRight(principal, report);
    const now = this.clock.now();
    const expiresAt = await this.tokens.expiryFor(principal, input, now);
    const name =
      input.name === undefined ? `Share link for ${report.name}`.slice(0, 100) : checkName(input.name);
    return this.store.transaction(async (tx) => {
      const issued = await this.tokens.issue(tx, principal.tenantId, principal.userId, {
        kind: 'shr',
        name,
        description: null,
        permissions: [],
        resources: [reportResource(report.id)],
        userId: principal.userId,
        departmentId: null,
        userTypeId: null,
        expiresAt,
        retrievable: true,
        parentId: null,
        reportId: report.id,
      });
      await this.audit.record(
        tx,
        principal,
        'token.create',
        { type: 'token', id: issued.record.id },
        { kind: 'shr', name, reportId: report.id },
      );
      return issued;
    });
  }

  /**
   * Seed 001's listing: the report's active local share tokens (with `<baseUrl>/view/<token>` links), then,
   * when the tenant publishes to a cloud, the cloud's; if the cloud fails, the local ones and a warning.
   * Share links are bearer secrets: an admin with `reports:manage` sees them all (and the cloud's); anyone
   * else with `reports:read` only those they created, and the cloud is not asked.
   */
  async shareTokens(principal: Principal, id: string, baseUrl: string): Promise<ReportTokenListing> {
    requirePermission(principal, 'reports:read');
    if (!(await this.mayOpen(principal, id))) throw notFound(id);
    await this.find(principal.tenantId, id);
    const manager = isAdmin(principal, 'reports:manage');
    const rows = await this.store.reports.activeShareTokens(principal.tenantId, id, this.clock.now());
    const tokens: ReportToken[] = [];
    for (const row of rows) {
      if (row.ciphertext === null) continue;
      if (!manager && !(await this.createdByCaller(principal, row.id))) continue;
      const token = this.cipher.decrypt(row.ciphertext);
      tokens.push({
        id: row.id,
        type: 'report',
        reportId: id,
        token,
        cloud: false,
        url: shareLink(baseUrl, token),
        name: row.name,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
        href: `/api/tokens/${row.id}`,
      });
    }
    let warning: CloudWarning | null = null;
    const cloud = this.cloud;
    if (cloud && manager) {
      try {
        if (await cloud.enabled(principal.tenantId))
          tokens.push(...(await cloud.tokens(principal.tenantId, id)));
      } catch (error) {
        warning = cloudWarning(error);
      }
    }
    return { tokens, warning };
  }

  /**
   * What `/view/{token}` shows: the report a share token opens, with its viewer URL filled in, and the
   * origins allowed to frame the page. The token is verified like any other (usage is recorded); anything
   * but an active share token of an existing report opens nothing.
   */
  async openShareLink(presented: string, ip: string | null): Promise<SharePage> {
    const result = await this.verifier.verify(presented, {}, ip);
    // An invalid link belongs to no tenant: its page may be framed where the default tenant's pages may.
    const tenantId = result.valid ? result.tenantId : DEFAULT_TENANT;
    const frameAncestors = (await this.settings.get(tenantId))['sharing.frame_ancestors']
      .split(' ')
      .filter(Boolean);
    if (!result.valid || result.kind !== 'shr') return { report: null, viewerSrc: null, frameAncestors };
    const resource = result.resources.find((r) => r.startsWith('report:'));
    const report = resource && (await this.store.reports.get(tenantId, resource.slice('report:'.length)));
    if (!report) return { report: null, viewerSrc: null, frameAncestors };
    const viewerSrc = report.viewerUrl === null ? null : viewerSource(report.viewerUrl, presented, report.id);
    return { report, viewerSrc, frameAncestors };
  }

  /**
   * Whether the principal's token reaches the report. A share token reaches only the report it is bound to;
   * another token bound to resources, only those; a session or an unbound token, any.
   */
  private mayOpen(principal: Principal, id: string): Promise<boolean> {
    return mayReachReport(this.store, principal, reportResource(id));
  }

  private async createdByCaller(principal: Principal, tokenId: string): Promise<boolean> {
    return (await this.store.tokens.get(principal.tenantId, tokenId))?.createdBy === principal.userId;
  }

  private async find(tenantId: string, id: string): Promise<Report> {
    const report = await this.store.reports.get(tenantId, id);
    if (!report) throw notFound(id);
    return report;
  }
}

function notFound(id: string): TesseraError {
  return new TesseraError('REPORT_NOT_FOUND', `No report ${id} in your tenant.`);
}

function checkId(id: string, field = 'id'): string {
  if (!REPORT_ID_PATTERN.test(id) || /^\.+$/.test(id)) {
    throw invalid(
      field,
      '1 to 200 letters, digits and . _ : - (no /, not only dots), e.g. team:sales-dashboard',
    );
  }
  return id;
}

function checkName(name: string): string {
  return cleanName(name);
}

/** An http(s) URL once `{token}` and `{reportId}` are filled in; no other placeholders. */
function checkViewerUrl(template: string | null): string | null {
  if (template === null) return null;
  const text = template.trim();
  if (text === '') return null;
  const filled = viewerSource(text, 'token', 'report');
  if (text.length > MAX_VIEWER_URL || /[{}\s]/.test(filled) || !/^https?:\/\//i.test(filled)) {
    throw invalid('viewerUrl', 'must be an http(s) URL; {token} and {reportId} are filled in');
  }
  try {
    new URL(filled);
  } catch {
    throw invalid('viewerUrl', 'must be an http(s) URL; {token} and {reportId} are filled in');
  }
  return text;
}

/**
 * The listing's warning: a code and words of this instance's own, the same whatever went wrong, so that the
 * listing tells nothing of what the cloud URL reaches (no status, no error, nothing the other side sent).
 * Publishing (admins only) says more.
 */
function cloudWarning(error: unknown): CloudWarning {
  if (error instanceof TesseraError && error.code === 'OUTBOUND_REFUSED') {
    return {
      code: 'OUTBOUND_REFUSED',
      message:
        'The cloud URL is refused by this instance’s outbound rules (outbound.allow_http, outbound.allow_private_network); only local tokens are listed.',
    };
  }
  return {
    code: 'CLOUD_UNAVAILABLE',
    message: 'The cloud instance could not be asked for this report’s tokens; only local tokens are listed.',
  };
}
