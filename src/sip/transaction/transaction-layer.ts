import { SwitchboardError, newBranch, randomToken, type Clock } from '../../common/index.js';
import { logger } from '../../observability/index.js';
import {
  createResponse,
  formatVia,
  getCSeq,
  parseVia,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../message/index.js';
import type { InboundSource, SendDestination, SipTransport } from '../transport/index.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { TransactionContext } from './transaction-context.js';
import { clientTransactionKey, serverTransactionKey } from './transaction-keys.js';
import {
  DEFAULT_TRANSACTION_TIMERS,
  TransactionState,
  type ClientTransaction,
  type ClientTransactionHandlers,
  type TransactionTimers,
  type TransactionUser,
} from './transaction-types.js';

type AnyClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
type AnyServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/**
 * The RFC 3261 §17 transaction layer: creates client and server transactions, matches inbound messages to them
 * (§17.1.3, §17.2.3) and hands everything else to the TU. It takes over the transport's onMessage.
 * Transactions live in two Maps keyed by their matching key; a transaction forgets itself on reaching Terminated.
 */
export class TransactionLayer {
  private readonly clients = new Map<string, AnyClientTransaction>();
  private readonly servers = new Map<string, AnyServerTransaction>();
  private readonly ctx: TransactionContext;

  constructor(
    private readonly transport: SipTransport,
    clock: Clock,
    private readonly user: TransactionUser,
    timers?: Partial<TransactionTimers>,
  ) {
    this.ctx = {
      transport,
      clock,
      user,
      timers: { ...DEFAULT_TRANSACTION_TIMERS, ...timers },
      log: logger('sip.transaction'),
      forget: (kind, id) => {
        if (kind === 'client') this.clients.delete(id);
        else this.servers.delete(id);
      },
    };
    transport.onMessage = (msg, source) => this.receive(msg, source);
  }

  /**
   * Starts a client transaction: INVITE → InviteClientTransaction (which builds and sends the ACK for a non-2xx
   * itself, §17.1.1.3), anything else but ACK → NonInviteClientTransaction. A request without Via gets one with our
   * sent-by, a new branch and `rport` (RFC 3581 §3); a top Via without branch gets a new branch (§8.1.1.7).
   * Throws SwitchboardError: SWB_ERR_SIP_TRANSACTION_STATE for ACK or a branch already in use,
   * SWB_ERR_SIP_TRANSPORT when the transport refuses the first send.
   */
  sendRequest(request: SipRequest, dest: SendDestination, handlers: ClientTransactionHandlers): ClientTransaction {
    if (request.method === 'ACK') {
      // §17.1.1.3: the ACK for a 2xx is a transaction of its own, sent by the UA core without a client transaction.
      throw new SwitchboardError('SWB_ERR_SIP_TRANSACTION_STATE', 'ACK is sent with sendStateless, not sendRequest');
    }
    this.ensureBranch(request, dest);
    const id = clientTransactionKey(request);
    if (!id) throw new SwitchboardError('SWB_ERR_SIP_TRANSACTION_STATE', 'request has no CSeq header');
    if (this.clients.has(id)) {
      throw new SwitchboardError('SWB_ERR_SIP_TRANSACTION_STATE', `a client transaction with key ${id} already exists`);
    }
    const tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(this.ctx, id, request, dest, handlers)
        : new NonInviteClientTransaction(this.ctx, id, request, dest, handlers);
    this.clients.set(id, tx);
    try {
      tx.start();
    } catch (err) {
      tx.dispose();
      this.clients.delete(id);
      throw err;
    }
    return tx;
  }

  /** Sends outside any transaction: the ACK for a 2xx, 2xx retransmissions by the UA core (§13.3.1.4), keepalives. */
  sendStateless(msg: SipMessage, dest: SendDestination): void {
    this.transport.send(msg, dest, (err) => this.ctx.log.warn({ err }, 'stateless send failed'));
  }

  /**
   * RFC 3261 §9.2: the INVITE server transaction a CANCEL refers to — same branch and sent-by in the top Via, method
   * INVITE (§17.2.3). Only transactions not yet terminated are found.
   */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined {
    const key = serverTransactionKey(cancel, 'INVITE');
    const tx = key === undefined ? undefined : this.servers.get(key);
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  stats(): { clientTransactions: number; serverTransactions: number } {
    return { clientTransactions: this.clients.size, serverTransactions: this.servers.size };
  }

  /** Stops every transaction's timers without notifying anyone; for shutdown. */
  /**
   * Drops a client transaction the TU has given up on without telling the TU again: a CANCELled INVITE that
   * never got a final response (RFC 3261 §9.1 lets the UAC consider it terminated after 64*T1; the INVITE
   * transaction itself has no timer in Proceeding to end it).
   */
  abandon(tx: ClientTransaction): void {
    const own = this.clients.get(tx.id);
    if (own !== tx) return;
    own.dispose();
    this.clients.delete(tx.id);
  }

  dispose(): void {
    for (const tx of this.clients.values()) tx.dispose();
    for (const tx of this.servers.values()) tx.dispose();
    this.clients.clear();
    this.servers.clear();
  }

  private receive(msg: SipMessage, source: InboundSource): void {
    if (msg.kind === 'response') this.receiveResponse(msg, source);
    else this.receiveRequest(msg, source);
  }

  private receiveResponse(res: SipResponse, source: InboundSource): void {
    const key = clientTransactionKey(res);
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx instanceof InviteClientTransaction) {
      tx.receiveResponse(res, source);
      return;
    }
    if (tx) {
      tx.receiveResponse(res);
      return;
    }
    // §17.1.1.2 / RFC 6026 §8.4: a 2xx to an INVITE whose transaction is gone still needs an ACK from the UA core;
    // any other unmatched response is discarded (§18.1.2).
    if (res.status >= 200 && res.status < 300 && getCSeq(res)?.method === 'INVITE') {
      this.user.onStray2xx?.(res, source);
      return;
    }
    this.ctx.log.debug({ status: res.status, key }, 'response matches no client transaction; dropped');
  }

  private receiveRequest(req: SipRequest, source: InboundSource): void {
    const key = serverTransactionKey(req);
    if (key === undefined) {
      this.ctx.log.debug({ method: req.method }, 'request without Via or CSeq; dropped');
      return;
    }
    const existing = this.servers.get(key);
    if (existing) {
      existing.receiveRequest(req);
      return;
    }
    if (req.method === 'ACK') {
      // §17.2.3 / §13.3.1.4: an ACK matching no INVITE server transaction acknowledges a 2xx; it is for the TU.
      this.user.onAck(req, source);
      return;
    }
    const tx =
      req.method === 'INVITE'
        ? new InviteServerTransaction(this.ctx, key, req, source)
        : new NonInviteServerTransaction(this.ctx, key, req, source);
    this.servers.set(key, tx);
    try {
      if (req.method === 'CANCEL') {
        const invite = this.findInviteServerTransaction(req);
        if (invite && invite.state === TransactionState.Proceeding) invite.onCancelled?.(req);
      }
      this.user.onRequest(tx, req, source);
    } catch (err) {
      this.answerAfterTuFailure(tx, err);
    }
  }

  /**
   * A TU that throws must not leave the transaction waiting for a response forever (it has no timer before its
   * final response): answer 500 (RFC 3261 §21.5.1) if no final response went out yet.
   */
  private answerAfterTuFailure(tx: AnyServerTransaction, err: unknown): void {
    this.ctx.log.error({ err, method: tx.request.method }, 'transaction user failed on a request; answering 500');
    if (tx.state !== TransactionState.Trying && tx.state !== TransactionState.Proceeding) return;
    try {
      tx.respond(createResponse(tx.request, 500, undefined, { toTag: randomToken() }));
    } catch (respondErr) {
      this.ctx.log.debug({ err: respondErr }, '500 after a TU failure could not be sent');
    }
  }

  private ensureBranch(request: SipRequest, dest: SendDestination): void {
    const [first, ...rest] = request.headers.getAll('Via');
    if (first !== undefined) {
      const inFirst = parseVia(first);
      const top = inFirst[0];
      if (!top || top.params.get('branch')) return;
      top.params.set('branch', newBranch());
      request.headers.set('Via', [inFirst.map(formatVia).join(', '), ...rest].join(', '));
      return;
    }
    const local = this.transport.localAddress(dest.transport, dest.host);
    request.headers.prepend(
      'Via',
      `SIP/2.0/${dest.transport.toUpperCase()} ${formatHost(local.host)}:${local.port};branch=${newBranch()};rport`,
    );
  }
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
