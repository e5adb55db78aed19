/**
 * Subnet arithmetic and the unusable address ranges, checked against plain bigint
 * arithmetic written out here: IPv4 is computed in numbers, so every prefix length
 * and the edges of each refused range are compared.
 */
import { describe, expect, it } from 'vitest';
import { networkCidr, sameSubnet, unusableInner, unusableOuter } from '../src/model/ip.js';

const bigintOf = (address: string) => address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
const textOf = (value: bigint) => [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
const networkBits = (address: string, prefix: number) =>
  bigintOf(address) & (((1n << BigInt(prefix)) - 1n) << BigInt(32 - prefix));

// A fixed walk over the address space (no randomness: a failure repeats), edges included.
const addresses = ['0.0.0.0', '255.255.255.255', '128.0.0.0', '127.255.255.255', '10.0.0.1'];
for (let i = 1, x = 2654435761; i < 200; i++) {
  x = (x * 1103515245 + 12345) % 2 ** 32;
  addresses.push(textOf(BigInt(x)));
}

describe('IPv4 subnet arithmetic', () => {
  it('networkCidr gives the network bits of every address at every prefix length', () => {
    for (const address of addresses)
      for (let prefix = 0; prefix <= 32; prefix++)
        expect(networkCidr(address, prefix, 'ipv4'), `${address}/${prefix}`).toBe(
          `${textOf(networkBits(address, prefix))}/${prefix}`,
        );
  });

  it('sameSubnet says whether the network bits are equal', () => {
    for (let i = 1; i < addresses.length; i++) {
      const [a, b] = [addresses[i - 1]!, addresses[i]!];
      // Pairs that share a prefix too: the second address with its low bits from the first.
      const near = textOf((bigintOf(b) & ~0xfffn) | (bigintOf(a) & 0xfffn));
      for (let prefix = 0; prefix <= 32; prefix++)
        for (const other of [b, near])
          expect(sameSubnet(a, other, prefix, 'ipv4'), `${a} ${other} /${prefix}`).toBe(
            networkBits(a, prefix) === networkBits(other, prefix),
          );
    }
  });
});

describe('unusable addresses at the edges of each range', () => {
  it.each([
    ['0.0.0.0', 'the unspecified address'],
    ['0.0.0.1', undefined],
    ['126.255.255.255', undefined],
    ['127.0.0.0', 'a loopback address'],
    ['127.255.255.255', 'a loopback address'],
    ['128.0.0.0', undefined],
    ['169.253.255.255', undefined],
    ['169.254.0.0', 'a link-local address'],
    ['169.254.255.255', 'a link-local address'],
    ['169.255.0.0', undefined],
    ['223.255.255.255', undefined],
    ['224.0.0.0', 'a multicast address'],
    ['239.255.255.255', 'a multicast address'],
    ['240.0.0.0', undefined],
    ['255.255.255.254', undefined],
    ['255.255.255.255', 'the broadcast address'],
    ['::', 'the unspecified address'],
    ['::1', 'the loopback address'],
    ['::2', undefined],
    ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', undefined],
    ['ff00::', 'a multicast address'],
    ['fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff', undefined],
    ['fe80::', 'a link-local address'],
    ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'a link-local address'],
    ['fec0::', undefined],
  ])('outer %s: %s', (address, why) => {
    const found = unusableOuter(address, address.includes(':') ? 'ipv6' : 'ipv4');
    if (why === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(new RegExp(`^${why},`));
  });

  it.each([
    ['0.0.0.0', 'the unspecified address'],
    ['0.0.0.1', undefined],
    ['127.0.0.1', undefined],
    ['224.0.0.1', undefined],
    ['::', 'the unspecified address'],
    ['::1', 'the IPv6 loopback address'],
    ['ff00::', 'an IPv6 multicast address'],
    ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', undefined],
  ])('inner %s: %s', (address, why) => {
    const found = unusableInner(address, address.includes(':') ? 'ipv6' : 'ipv4');
    if (why === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(new RegExp(`^${why},`));
  });
});
