import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { NewReport, ReportToken } from '../types.ts';
import { keys } from './keys.ts';

const PAGE_SIZE = 25;

/**
 * Report ids contain `:` (team:sales-dashboard): openapi-fetch percent-encodes path parameters
 * (`team%3Asales-dashboard`), so ids are passed as they are and never encoded twice.
 */
const reportPath = (id: string) => ({ id });

/** One page of GET /api/reports, searched by id, name or description. */
export function useReports(q: string, cursor: string | undefined) {
  return useQuery({
    queryKey: keys.reportList(q, cursor),
    queryFn: () =>
      unwrap(
        api.GET('/api/reports', {
          params: { query: { limit: PAGE_SIZE, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useReport(id: string) {
  return useQuery({
    queryKey: keys.report(id),
    queryFn: () => unwrap(api.GET('/api/reports/{id}', { params: { path: reportPath(id) } })),
  });
}

/** Admins with reports:manage. */
export function useCreateReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewReport) => unwrap(api.POST('/api/reports', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.reports }),
  });
}

/** The report's active share tokens, local then cloud, and the cloud's warning when it could not be asked. */
export function useReportTokens(id: string) {
  return useQuery({
    queryKey: keys.reportTokens(id),
    queryFn: () => unwrap(api.GET('/api/reports/{id}/tokens', { params: { path: reportPath(id) } })),
  });
}

function useInvalidateReportTokens(reportId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.reportTokens(reportId) }),
      queryClient.invalidateQueries({ queryKey: keys.tokens }),
      queryClient.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

/** A local share token (kind shr) bound to the report. */
export function useCreateShareToken(reportId: string) {
  const invalidate = useInvalidateReportTokens(reportId);
  return useMutation({
    mutationFn: (body: { name?: string; expiresInDays?: number; expiresAt?: string }) =>
      unwrap(api.POST('/api/tokens', { body: { type: 'report', reportId, ...body } })),
    onSuccess: invalidate,
  });
}

/** Publishes the report to the cloud instance: a share token created there. */
export function usePublishToCloud(reportId: string) {
  const invalidate = useInvalidateReportTokens(reportId);
  return useMutation({
    mutationFn: (body: { name?: string }) =>
      unwrap(api.POST('/api/reports/{id}/_cloud-publish', { params: { path: reportPath(reportId) }, body })),
    onSuccess: invalidate,
  });
}

/** Revokes a share token where it lives: here (DELETE /api/tokens/{id}) or on the cloud. */
export function useRevokeShareToken(reportId: string) {
  const invalidate = useInvalidateReportTokens(reportId);
  return useMutation({
    mutationFn: (token: ReportToken) =>
      token.cloud
        ? unwrap(
            api.DELETE('/api/reports/{id}/cloud-tokens/{tokenId}', {
              params: { path: { ...reportPath(reportId), tokenId: token.id } },
            }),
          )
        : unwrap(api.DELETE('/api/tokens/{id}', { params: { path: { id: token.id } } })),
    onSuccess: invalidate,
  });
}
