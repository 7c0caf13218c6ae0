import { newLinkToken, newRecoveryCodes, normalizeRecoveryCode, recoveryCodeHash, LINK_TOKEN_FORMAT } from './secrets';

describe('account secrets', () => {
  it('makes 43-character URL-safe link tokens, never the same twice', () => {
    const tokens = Array.from({ length: 100 }, newLinkToken);
    for (const t of tokens) expect(t).toMatch(LINK_TOKEN_FORMAT);
    expect(new Set(tokens).size).toBe(100);
  });

  it('makes ten distinct recovery codes of 16 Crockford base32 characters in groups of four', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('reads a recovery code however it is typed, and hashes it like the issued form', () => {
    const [code] = newRecoveryCodes();
    const typed = ` ${code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    expect(normalizeRecoveryCode(typed)).toBe(code.replace(/-/g, ''));
    expect(recoveryCodeHash(normalizeRecoveryCode(typed)!)).toBe(recoveryCodeHash(code));
    expect(normalizeRecoveryCode('not-a-code')).toBeNull();
    expect(normalizeRecoveryCode('123456')).toBeNull();
  });
});
