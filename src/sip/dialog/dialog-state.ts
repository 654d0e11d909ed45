/**
 * Dialog states (RFC 3261 §12; §12.3 for termination).
 *
 * ```
 *                           ┌───────────┐  3xx–6xx, CANCEL, no 2xx
 *   1xx with a To tag ─────▶│   Early   │─────────────────────────────┐
 *                           └─────┬─────┘                             │
 *                                 │ 2xx                               ▼
 *                           ┌─────▼─────┐  BYE sent or received,  ┌────────────┐
 *   2xx ───────────────────▶│ Confirmed │────────────────────────▶│ Terminated │
 *                           └───────────┘  408/481 to a request,  └────────────┘
 *                                          no ACK within 64*T1
 * ```
 */
export enum DialogState {
  Early = 'early',
  Confirmed = 'confirmed',
  Terminated = 'terminated',
}

/** Why a dialog ended; handed to SipDialog.onTerminated. */
export type DialogTerminationReason =
  | 'local-bye'
  | 'remote-bye'
  /** The early dialog's INVITE got a failure response or was cancelled (RFC 3261 §12.3). */
  | 'rejected'
  /** The UAS sent a 2xx and no ACK came within 64*T1 (RFC 3261 §13.3.1.4). */
  | 'ack-timeout'
  /** An in-dialog request got 408 or 481, or timed out (RFC 3261 §12.2.1.2). */
  | 'request-failed'
  | 'transport-error'
  /** The user agent was stopped. */
  | 'ua-stop';
