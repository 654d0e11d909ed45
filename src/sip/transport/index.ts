export * from './transport-types.js';
export { SipTransportLayer, type SipTransportSendErrorListener } from './sip-transport-layer.js';
export { FakeSipTransport, type FakeSentMessage } from './fake-sip-transport.js';
export { stampInboundVia, responseDestination, sameHost } from './inbound-via.js';
