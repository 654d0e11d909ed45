export * from './headers.js';
export * from './types.js';
export { SipParseError, type SipParseErrorOptions, type SipParsePartial } from './sip-parse-error.js';
export { DEFAULT_MAX_MESSAGE_BYTES, parseSipMessage, type ParseSipMessageOptions } from './parse-sip-message.js';
export { serializeSipMessage } from './serialize-sip-message.js';
export {
  SipStreamFramer, type SipStreamFramerHandler, type SipStreamFramerOptions,
} from './sip-stream-framer.js';
export { formatUri, isAbsoluteUri, isHost, isIPv6Address, parseUri, uriScheme } from './parse-uri.js';
export { splitHeaderList } from './split-header-list.js';
export { formatVia, parseVia } from './parse-via.js';
export { formatNameAddr, parseNameAddr, parseNameAddrList } from './parse-name-addr.js';
export { formatCSeq, MAX_CSEQ, parseCSeq } from './parse-cseq.js';
export { getCallId, getCSeq, getFromTag, getToTag, getTopVia, getVias } from './message-accessors.js';
export {
  createBadRequestFromPartial, createResponse, createResponseFromPartial, defaultReasonPhrase,
  type CreateResponseOptions,
} from './create-response.js';
