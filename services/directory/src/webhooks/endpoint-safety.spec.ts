import { addressProblem, EndpointRefused, parseEndpointUrl, resolvePublic } from './endpoint-safety';

const strict = { allowPrivate: false, httpsOnly: true };
const dev = { allowPrivate: false, httpsOnly: false };

describe('webhook endpoints: where a delivery may go (issue 20)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['::', 'unspecified'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressProblem(address)).toBe(`${address} is a ${range} address`);
  });

  it('refuses a private address hidden in an IPv4-mapped IPv6 address', () => {
    expect(addressProblem('::ffff:127.0.0.1')).toMatch(/loopback/);
    expect(addressProblem('::ffff:10.0.0.1')).toMatch(/private/);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111'])('takes the public address %s', (address) => {
    expect(addressProblem(address)).toBeNull();
  });

  it('takes an absolute http(s) URL, and only https when httpsOnly (production)', () => {
    expect(parseEndpointUrl('https://hooks.example.com/a?b=1', strict).href).toBe('https://hooks.example.com/a?b=1');
    expect(parseEndpointUrl('http://hooks.example.com/a', dev).protocol).toBe('http:');
    expect(() => parseEndpointUrl('http://hooks.example.com/a', strict)).toThrow('must be an https URL');
  });

  it.each([
    ['not a url', 'must be an absolute URL'],
    ['ftp://example.com/x', 'must be an http or https URL'],
    ['javascript:alert(1)', 'must be an http or https URL'],
    ['https://user:pw@example.com/x', 'must not carry a user name or password'],
    ['https://example.com/x#frag', 'must not have a fragment'],
  ])('refuses %s', (url, rule) => {
    expect(() => parseEndpointUrl(url, dev)).toThrow(rule);
  });

  it('refuses a name when any of its addresses is not public (DNS rebinding: checked on what the lookup answers now)', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(resolvePublic('rebind.example.com', dev, resolve)).rejects.toThrow('rebind.example.com resolves to 10.0.0.7 is a private address');
    await expect(resolvePublic('rebind.example.com', dev, resolve)).rejects.toBeInstanceOf(EndpointRefused);
  });

  it('checks an IP literal without a lookup, bracketed IPv6 included', async () => {
    const resolve = jest.fn();
    await expect(resolvePublic('127.0.0.1', dev, resolve)).rejects.toThrow(/loopback/);
    await expect(resolvePublic('[::1]', dev, resolve)).rejects.toThrow(/loopback/);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('allows everything with allowPrivate (tests, local development)', async () => {
    await expect(resolvePublic('127.0.0.1', { allowPrivate: true, httpsOnly: false })).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('refuses a name that resolves to nothing', async () => {
    await expect(resolvePublic('empty.example.com', dev, async () => [])).rejects.toThrow('does not resolve to any address');
  });
});
