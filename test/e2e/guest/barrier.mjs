// A two-party barrier over the underlay: both guests reach each step
// before either goes on, so one never tests a tunnel the other has not
// applied yet. Plain TCP, one line per step name.
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const port = 7100;

export async function createBarrier(localAddress, peerAddress) {
  const arrived = new Set();
  const waiters = new Map();
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const name = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        arrived.add(name);
        waiters.get(name)?.();
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(port, localAddress, () => resolve(undefined)));

  async function announce(name, deadline) {
    while (Date.now() < deadline) {
      const sent = await new Promise((resolve) => {
        const socket = createConnection({ host: peerAddress, port }, () =>
          socket.end(`${name}\n`, () => resolve(true)),
        );
        socket.on('error', () => resolve(false));
      });
      if (sent) return;
      await sleep(200);
    }
    throw new Error(`barrier ${name}: peer ${peerAddress} unreachable`);
  }

  return {
    /** Resolves when both guests have reached `name`; throws after `seconds`. */
    async wait(name, seconds = 150) {
      const deadline = Date.now() + seconds * 1000;
      const peerArrived = arrived.has(name) ? Promise.resolve() : new Promise((resolve) => waiters.set(name, resolve));
      await announce(name, deadline);
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`barrier ${name}: peer did not arrive in ${seconds} s`)),
          Math.max(0, deadline - Date.now()),
        );
      });
      try {
        await Promise.race([peerArrived, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => server.close(),
  };
}
