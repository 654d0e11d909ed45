/**
 * Coded errors. Every error the server raises on purpose carries a stable code from this registry, so callers
 * decide fatal vs recoverable by type and code, never by message text.
 */
export const ERROR_CODES = {
  SWB_ERR_CONFIG_INVALID: 'The server configuration failed validation.',
  SWB_ERR_CONFIG_FILE: 'The configuration file could not be read or parsed.',
  SWB_ERR_SIP_PARSE: 'A SIP message could not be parsed.',
  SWB_ERR_SIP_TOO_LARGE: 'A SIP message exceeded the maximum size.',
  SWB_ERR_SIP_TRANSPORT: 'A SIP transport failed to send or listen.',
  SWB_ERR_SIP_TRANSACTION_TIMEOUT: 'A SIP transaction timed out.',
  SWB_ERR_SIP_FAILURE: 'A SIP request was answered with a failure status.',
  SWB_ERR_SDP_PARSE: 'An SDP body could not be parsed.',
  SWB_ERR_SDP_NO_COMMON_CODEC: 'No codec of the offer can be used.',
  SWB_ERR_RTP_PARSE: 'An RTP or RTCP packet was malformed.',
  SWB_ERR_RTP_NO_PORTS: 'The RTP port range is exhausted.',
  SWB_ERR_MEDIA_FORMAT: 'An audio file has an unsupported format.',
  SWB_ERR_TTS_FAILED: 'Speech synthesis failed.',
  SWB_ERR_CALL_STATE: 'The call is not in a state that allows this operation.',
  SWB_ERR_SIP_TRANSACTION_STATE: 'The SIP transaction is not in a state that allows this operation.',
  SWB_ERR_SIP_DIALOG_STATE: 'The SIP dialog is not in a state that allows this operation.',
  SWB_ERR_DTMF_INVALID: 'A DTMF digit or DTMF payload was invalid.',
  SWB_ERR_MEDIA_STATE: 'The media session is not in a state that allows this operation.',
  SWB_ERR_MEDIA_WORKER: 'A media worker thread failed or is not running; its sessions were ended.',
  SWB_ERR_FLOW_EXPRESSION: 'A flow expression or template could not be parsed or evaluated.',
  SWB_ERR_SAY_AS: 'A say-as or break tag in prompt text is malformed or its content cannot be read out.',
  SWB_ERR_FLOW_RUNTIME: 'A call flow failed while running a call.',
  SWB_ERR_FLOW_SIMULATION: 'A flow simulation was given an input it cannot play (keys, "timeout" or "hangup").',
  SWB_ERR_STORE: 'The record store could not be opened, migrated, read or written.',
  SWB_ERR_FLOW_STORAGE: 'What a caller left (a voicemail, a callback request, a survey answer) could not be stored.',
  SWB_ERR_ASR_MODEL: 'The speech recognition model is missing or corrupt.',
  SWB_ERR_ASR_GRAMMAR: 'A recognition grammar is invalid or uses words the model cannot pronounce.',
  SWB_ERR_ASR_BUSY: 'Every speech recognizer is in use.',
  SWB_ERR_ASR_STATE: 'The speech recognizer failed or was used out of order.',
  SWB_ERR_NLU_DEFINITION: 'An intent definition is invalid.',
  SWB_ERR_NLU_INPUT: 'A value given to the intent matcher or the spoken-date resolver is malformed (e.g. a reference day not written YYYY-MM-DD).',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code], options);
    this.name = 'SwitchboardError';
    this.code = code;
  }
}

/** A SIP failure (a final non-2xx response or a local equivalent such as a timeout → 408). */
export class SipFailureError extends SwitchboardError {
  constructor(readonly status: number, readonly reason: string, message?: string) {
    super('SWB_ERR_SIP_FAILURE', message ?? `${status} ${reason}`);
    this.name = 'SipFailureError';
  }
}

export function isSwitchboardError(e: unknown, code?: ErrorCode): e is SwitchboardError {
  return e instanceof SwitchboardError && (code === undefined || e.code === code);
}
