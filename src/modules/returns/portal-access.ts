import { Type } from 'typebox';
import { readCookie } from '../../platform/http/cookies.ts';
import type { EvidenceService } from './evidence.ts';
import { CUSTOMER_COOKIE, type Portal } from './portal.ts';
import type { ReturnsService } from './service.ts';

/** What the portal's routes are handed by the composition root. */
export type PortalRoutesDeps = {
  portal: Portal;
  returns: ReturnsService;
  evidence: EvidenceService;
  publicUrl: () => string;
  publicRateLimit: number;
  lookupRateLimit: number;
  shopByHandle: (handle: string) => Promise<{ name: string; handle: string; kind: string } | undefined>;
};

export const LangQuery = Type.Object({
  lang: Type.Optional(
    Type.String({ maxLength: 20, description: 'en, zh-CN or es: the language of explanations and reasons.' }),
  ),
});

/** The rate limits, the cookie's Secure flag and the customer session, shared by the portal's routes. */
export function portalAccess(deps: PortalRoutesDeps) {
  const { portal } = deps;
  const secure = () => deps.publicUrl().startsWith('https://');
  const open = { public: true, rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } };
  // Guessing order numbers and emails is the attack this form invites: a tight limit per IP.
  const lookupLimit = {
    public: true,
    rateLimit: { max: deps.lookupRateLimit, timeWindow: '1 minute' },
  };
  const customerAccess = (request: { headers: { cookie?: string } }) =>
    portal.resolve(readCookie(request.headers.cookie, CUSTOMER_COOKIE));
  return { secure, open, lookupLimit, customerAccess };
}

export type PortalAccess = ReturnType<typeof portalAccess>;
