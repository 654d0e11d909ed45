export * from './transaction-types.js';
export { TransactionLayer } from './transaction-layer.js';
export { InviteClientTransaction } from './invite-client-transaction.js';
export { NonInviteClientTransaction } from './non-invite-client-transaction.js';
export { InviteServerTransaction } from './invite-server-transaction.js';
export { NonInviteServerTransaction } from './non-invite-server-transaction.js';
export { clientTransactionKey, serverTransactionKey, isRfc3261Branch } from './transaction-keys.js';
