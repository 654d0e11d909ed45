import { SwitchboardError } from '../../common/index.js';
import type { SipHeaders } from './headers.js';

/** What could be read of a message that failed to parse, so a UAS can still answer a broken request. */
export interface SipParsePartial {
  readonly kind?: 'request' | 'response';
  readonly method?: string;
  readonly uri?: string;
  readonly status?: number;
  readonly headers: SipHeaders;
}

export interface SipParseErrorOptions {
  partial?: SipParsePartial;
  /** The SIP-Version was well formed but not SIP/2.0: a request is answered 505 (RFC 3261 §8.2.2 and §21.5.7). */
  versionNotSupported?: boolean;
  /** The URI is well formed but its scheme is not sip, sips or tel: a Request-URI is answered 416 (§8.2.2.1). */
  unsupportedUriScheme?: boolean;
  /** The message exceeded the size limit (code SWB_ERR_SIP_TOO_LARGE; a request may be answered 513, §21.5.12). */
  tooLarge?: boolean;
  cause?: unknown;
}

/** A SIP message, header value or URI that does not follow the RFC 3261 §25 grammar or §8/§18 framing rules. */
export class SipParseError extends SwitchboardError {
  readonly partial?: SipParsePartial;
  readonly versionNotSupported: boolean;
  readonly unsupportedUriScheme: boolean;

  constructor(message: string, options: SipParseErrorOptions = {}) {
    super(options.tooLarge ? 'SWB_ERR_SIP_TOO_LARGE' : 'SWB_ERR_SIP_PARSE', message, { cause: options.cause });
    this.name = 'SipParseError';
    this.partial = options.partial;
    this.versionNotSupported = options.versionNotSupported ?? false;
    this.unsupportedUriScheme = options.unsupportedUriScheme ?? false;
  }

  /** A copy carrying `partial`, keeping the flags (used when a header parser's error surfaces at message level). */
  withPartial(partial: SipParsePartial, prefix?: string): SipParseError {
    return new SipParseError(prefix ? `${prefix}: ${this.message}` : this.message, {
      partial,
      versionNotSupported: this.versionNotSupported,
      unsupportedUriScheme: this.unsupportedUriScheme,
      tooLarge: this.code === 'SWB_ERR_SIP_TOO_LARGE',
      cause: this.cause,
    });
  }
}
