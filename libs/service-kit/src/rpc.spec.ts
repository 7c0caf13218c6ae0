import { isDatabaseUnavailable } from './rpc';

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a pool timeout', { code: 'P2024' }],
    ['a transaction that could not start in time', { code: 'P2028' }],
    ['an unreachable server', { code: 'P1001', message: "Can't reach database server at 127.0.0.1:5432" }],
    ['a raw query during shutdown (driver adapter message)', { code: 'P2010', message: 'Raw query failed. Code: `57P03`. Message: `the database system is shutting down`' }],
    ['a driver adapter cause with the SQLSTATE', { name: 'PrismaClientKnownRequestError', cause: { originalCode: '08006' } }],
    ['a refused socket under two causes', { message: 'query failed', cause: { cause: { code: 'ECONNREFUSED' } } }],
    ['too many connections', { meta: { code: '53300' } }],
    ['a closed connection (adapter kind)', { cause: { kind: 'ConnectionClosed' } }],
  ])('is true for %s', (_, err) => {
    expect(isDatabaseUnavailable(Object.assign(new Error(String((err as { message?: string }).message ?? 'x')), err))).toBe(true);
  });

  it.each([
    ['a unique violation', { code: 'P2002' }],
    ['a SQL error of the query itself', { code: 'P2010', message: 'Raw query failed. Code: `42P01`. Message: `relation "x" does not exist`' }],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an object', 'boom'],
  ])('is false for %s', (_, err) => {
    expect(isDatabaseUnavailable(err instanceof Error || typeof err === 'string' ? err : Object.assign(new Error('x'), err))).toBe(false);
  });

  it('does not loop on a cause that points back to itself', () => {
    const e = new Error('x') as Error & { cause?: unknown };
    e.cause = e;
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
