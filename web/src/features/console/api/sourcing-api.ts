import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api.ts';
import { csrfHeader } from '../../../lib/staff-session.ts';
import { consoleKeys, staffApi } from './console-api.ts';
import type { Claim, EvidencePack, LineStage, OrderSummary, StageResult } from './sourcing-types.ts';

/** Purchasing agents' staff calls (src/modules/sourcing/routes.ts): stages, claims, evidence, QC photos. */

export type * from './sourcing-types.ts';

const enc = encodeURIComponent;

export const sourcingKeys = {
  evidence: (claimId: string) => ['console', 'evidence-pack', claimId] as const,
  order: (number: string) => ['warehouse', 'order', number] as const,
  stages: (orderId: string) => ['warehouse', 'stages', orderId] as const,
};

/** Acts on a claim with the version the agent saw; the case is refetched whatever happens. */
export function useClaimAction(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { claim: Claim; action: string; amountRecovered?: number; note?: string }) =>
      staffApi.post<Claim>(`/api/v1/seller-claims/${enc(input.claim.id)}/${enc(input.action)}`, {
        expectedVersion: input.claim.version,
        ...(input.amountRecovered !== undefined ? { amountRecovered: input.amountRecovered } : {}),
        ...(input.note ? { note: input.note } : {}),
      }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: consoleKeys.case(caseId) });
      void qc.invalidateQueries({ queryKey: consoleKeys.queues });
      void qc.invalidateQueries({ queryKey: consoleKeys.lists });
    },
  });
}

export function useEvidencePack(claimId: string | null) {
  return useQuery({
    queryKey: sourcingKeys.evidence(claimId ?? ''),
    queryFn: ({ signal }) =>
      staffApi.get<EvidencePack>(`/api/v1/seller-claims/${enc(claimId ?? '')}/evidence-pack`, { signal }),
    enabled: claimId !== null,
  });
}

/** The order behind a number the warehouse scans or types; null when there is none. */
export function useOrderByNumber(orderNumber: string) {
  return useQuery({
    queryKey: sourcingKeys.order(orderNumber),
    queryFn: async ({ signal }) => {
      try {
        return await staffApi.get<OrderSummary>(`/api/v1/orders/by-number/${enc(orderNumber)}`, { signal });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    enabled: orderNumber !== '',
    retry: false,
  });
}

export function useOrderStages(orderId: string | null) {
  return useQuery({
    queryKey: sourcingKeys.stages(orderId ?? ''),
    queryFn: ({ signal }) =>
      staffApi.get<{ orderId: string; lines: LineStage[] }>(`/api/v1/orders/${enc(orderId ?? '')}/stages`, {
        signal,
      }),
    enabled: orderId !== null,
  });
}

export function useSetStage(orderId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { lineId: string; stage: string; note?: string }) =>
      staffApi.post<StageResult>(`/api/v1/orders/${enc(orderId)}/lines/${enc(input.lineId)}/stage`, {
        stage: input.stage,
        ...(input.note ? { note: input.note } : {}),
      }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: sourcingKeys.stages(orderId) });
      void qc.invalidateQueries({ queryKey: consoleKeys.queues });
    },
  });
}

export type QcPhoto = { id: string; contentType: string; size: number };

/** One QC photo as a raw image body (the server checks the bytes, not only the header). */
export async function uploadQcPhoto(orderId: string, lineId: string, file: File): Promise<QcPhoto> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/orders/${enc(orderId)}/lines/${enc(lineId)}/qc-photos`, {
      method: 'POST',
      body: file,
      headers: { 'content-type': file.type, accept: 'application/json', 'X-CSRF-Token': csrfHeader() },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  const parsed = (await res.json().catch(() => null)) as
    | (QcPhoto & { error?: { code: string; message: string } })
    | null;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      parsed?.error?.code ?? `http_${res.status}`,
      parsed?.error?.message ?? res.statusText,
    );
  }
  return parsed as QcPhoto;
}
