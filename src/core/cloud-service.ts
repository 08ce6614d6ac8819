import type { AuditLog } from './audit.ts';
import type { CloudPublisher, ReportToken } from './cloud-port.ts';
import { TesseraError } from './errors.ts';
import type { Report } from './model.ts';
import { type Principal, requireAdmin } from './principal.ts';
import { mayReachReport, reportResource, requireShareLinkRight } from './report-access.ts';
import type { Store } from './store.ts';

/** A cloud publisher that can also revoke what it published. */
export interface CloudRevoker extends CloudPublisher {
  /** Revokes a share token the cloud holds for the report; TOKEN_NOT_FOUND when it holds no such active one. */
  revoke(tenantId: string, reportId: string, tokenId: string): Promise<void>;
}

const disabled = () =>
  new TesseraError(
    'CLOUD_DISABLED',
    'Cloud publishing is off or not configured: set cloud.enabled, cloud.url and cloud.api_token.',
  );

/** No cloud: where the core is wired without an outbound client (the command line), publishing is off. */
export const NO_CLOUD: CloudRevoker = {
  enabled: async () => false,
  tokens: async () => {
    throw disabled();
  },
  publish: async () => {
    throw disabled();
  },
  revoke: async () => {
    throw disabled();
  },
};

/**
 * Publishing report share tokens to the cloud instance and revoking them there (seed 001), for admins with
 * `tokens:manage`. Audited here; the token itself is never written to the audit log.
 */
export class CloudService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly publisher: CloudRevoker,
  ) {}

  /** Creates a share token for a local report on the cloud, registering the report there first when new. */
  async publish(
    principal: Principal,
    reportId: string,
    input: { name?: string; expiresAt?: string },
  ): Promise<ReportToken> {
    const report = await this.ready(principal, reportId, requireShareLinkRight);
    const token = await this.publisher.publish(principal.tenantId, report, input);
    await this.audit.record(
      this.store,
      principal,
      'report.cloud_publish',
      { type: 'report', id: report.id },
      { reportId: report.id, cloudTokenId: token.id },
    );
    return token;
  }

  /** Revokes one of the report's share tokens on the cloud. */
  async revoke(principal: Principal, reportId: string, tokenId: string): Promise<void> {
    const report = await this.ready(principal, reportId);
    await this.publisher.revoke(principal.tenantId, report.id, tokenId);
    await this.audit.record(
      this.store,
      principal,
      'report.cloud_revoke',
      { type: 'report', id: report.id },
      { reportId: report.id, cloudTokenId: tokenId },
    );
  }

  /**
   * The checks both operations start with: an admin who manages tokens, a report they may reach, any check of
   * the operation's own (`may`), and only then cloud turned on.
   */
  private async ready(
    principal: Principal,
    reportId: string,
    may?: (principal: Principal, report: Report) => void,
  ): Promise<Report> {
    requireAdmin(principal, 'tokens:manage');
    const report = await this.store.reports.get(principal.tenantId, reportId);
    // A token bound to other reports finds nothing here, as on every other report route.
    if (!report || !(await mayReachReport(this.store, principal, reportResource(reportId))))
      throw new TesseraError('REPORT_NOT_FOUND', `No report ${reportId} exists in your tenant.`);
    may?.(principal, report);
    if (!(await this.publisher.enabled(principal.tenantId))) throw disabled();
    return report;
  }
}
