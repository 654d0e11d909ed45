export { SipUserAgent } from './sip-user-agent.js';
export type {
  AcceptedInvite, IncomingInvite, OutgoingInvite, OutgoingInviteOptions, SipUserAgentOptions, SipUserAgentStats,
} from './ua-types.js';
export {
  answerDigestChallenge, computeDigestResponse, DigestParseError, formatDigestChallenge, formatDigestCredentials,
  parseAuthParams, parseDigestChallenge, parseDigestCredentials, selectDigestChallenge, verifyDigestCredentials,
  type DigestAlgorithm, type DigestAnswerOptions, type DigestChallenge, type DigestCredentials,
} from './digest.js';
export { lookupIPv4, nextHopUri, resolveDestination, type HostResolver } from './next-hop.js';
export { ALLOWED_METHODS, ACCEPTED_CONTENT_TYPES } from './request-checks.js';
