/** Real captured packets as test data: test/fixtures/pcap/<name>, read with the shared pcap reader. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPcapUdp, type UdpDatagram } from './pcap/pcap-reader.js';

/** Finds the fixture by walking up from the compiled test file to the repository root. */
export function readPcapFixture(name: string): UdpDatagram[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'pcap', name);
    if (existsSync(candidate)) return readPcapUdp(readFileSync(candidate));
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pcap fixture ${name} not found`);
    dir = parent;
  }
}
