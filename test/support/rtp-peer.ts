/**
 * A bare UDP endpoint for media tests: sends hand-made RTP/RTCP to a session and keeps what comes back, so tests
 * can check bytes on the wire. `settle` lets the event loop deliver loopback datagrams (real sockets, no timers
 * of the code under test involved).
 */
import { createSocket, type Socket } from 'node:dgram';

export interface ReceivedDatagram {
  data: Buffer;
  address: string;
  port: number;
}

export class RtpPeer {
  readonly received: ReceivedDatagram[] = [];
  private closed = false;

  private constructor(readonly socket: Socket, readonly address: string, readonly port: number) {
    socket.on('message', (data, rinfo) => this.received.push({ data, address: rinfo.address, port: rinfo.port }));
  }

  static open(address = '127.0.0.1', port = 0): Promise<RtpPeer> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        resolve(new RtpPeer(socket, address, socket.address().port));
      });
    });
  }

  send(data: Buffer, port: number, address = '127.0.0.1'): void {
    this.socket.send(data, port, address);
  }

  take(): ReceivedDatagram[] {
    return this.received.splice(0);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** Yields to the event loop until `done()` holds (or about a second passes), so loopback datagrams arrive. */
export async function settle(done: () => boolean = () => false, maxTurns = 200): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    await new Promise((r) => setImmediate(r));
    if (done()) return;
    if (i > 20) await new Promise((r) => setTimeout(r, 5));
  }
}
