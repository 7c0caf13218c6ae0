import { generateKeyPairSync } from 'node:crypto';
import { DomainError } from '@am/contracts';
import { CallerProofSigner, CallerProofVerifier, callerProofPublicKeys, type CallerProofSigningJwk } from './caller-proof';

function keyPair(kid: string) {
  const { kty, crv, x, d } = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { signing: { kty, crv, x, d, kid } as CallerProofSigningJwk, public: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: x!, kid } };
}

const code = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

describe('caller proofs', () => {
  const gateway = keyPair('k1');
  const verifier = new CallerProofVerifier({ keys: [gateway.public] });
  const subject = { actorId: 'user-1', via: 'session:s1' };

  it('accept a proof for its own action, target and actor, and say who acts', async () => {
    const proof = await (await CallerProofSigner.create(gateway.signing, 60)).mint(subject, 'role-request.approve', 'role-request:r1');
    await expect(verifier.verify(proof, { action: 'role-request.approve', target: 'role-request:r1', actorId: 'user-1' })).resolves.toMatchObject({
      actorId: 'user-1',
      action: 'role-request.approve',
      via: 'session:s1',
    });
  });

  it('refuse another action, another target, another actor, another key, no proof, and an expired one', async () => {
    const signer = await CallerProofSigner.create(gateway.signing, 60);
    const proof = await signer.mint(subject, 'role-request.approve', 'role-request:r1');
    expect(await code(verifier.verify(proof, { action: 'role-request.deny', target: 'role-request:r1' }))).toBe('UNAUTHENTICATED');
    expect(await code(verifier.verify(proof, { action: 'role-request.approve', target: 'role-request:r2' }))).toBe('UNAUTHENTICATED');
    expect(await code(verifier.verify(proof, { action: 'role-request.approve', target: 'role-request:r1', actorId: 'user-2' }))).toBe('UNAUTHENTICATED');
    expect(await code(verifier.verify(undefined, { action: 'role-request.approve', target: 'role-request:r1' }))).toBe('UNAUTHENTICATED');
    const forged = await (await CallerProofSigner.create(keyPair('k1').signing, 60)).mint(subject, 'role-request.approve', 'role-request:r1');
    expect(await code(verifier.verify(forged, { action: 'role-request.approve', target: 'role-request:r1' }))).toBe('UNAUTHENTICATED');
    const later = new Date(Date.now() + 120_000);
    jest.useFakeTimers({ now: later, doNotFake: ['nextTick', 'setImmediate'] });
    try {
      expect(await code(verifier.verify(proof, { action: 'role-request.approve', target: 'role-request:r1' }))).toBe('UNAUTHENTICATED');
      // A command accepted while the proof was valid (a retried activity) is still accepted.
      expect(await code(verifier.verify(proof, { action: 'role-request.approve', target: 'role-request:r1', acceptedAt: new Date(later.getTime() - 110_000).toISOString() }))).toBe('accepted');
    } finally {
      jest.useRealTimers();
    }
  });

  it('verify with every listed key while one is rotated', async () => {
    const next = keyPair('k2');
    const both = new CallerProofVerifier({ keys: [gateway.public, next.public] });
    const proof = await (await CallerProofSigner.create(next.signing, 60)).mint(subject, 'access.remove', 'organization:o/user:u');
    expect(await code(both.verify(proof, { action: 'access.remove', target: 'organization:o/user:u' }))).toBe('accepted');
    expect(await code(verifier.verify(proof, { action: 'access.remove', target: 'organization:o/user:u' }))).toBe('UNAUTHENTICATED');
  });

  it('configuration takes public keys only', () => {
    expect(callerProofPublicKeys().safeParse(JSON.stringify({ keys: [gateway.public] })).success).toBe(true);
    expect(callerProofPublicKeys().safeParse(JSON.stringify({ keys: [gateway.signing] })).success).toBe(false);
    expect(callerProofPublicKeys().safeParse(JSON.stringify({ keys: [] })).success).toBe(false);
  });
});
