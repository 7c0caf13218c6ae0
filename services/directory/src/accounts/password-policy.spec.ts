import { DomainError, PASSWORD_POLICY } from '@am/contracts';
import { assertPasswordPolicy, passwordViolation } from './password-policy';

describe('password policy', () => {
  it('accepts a long passphrase that is not common and does not contain the user id', () => {
    expect(passwordViolation('correct horse battery staple', 'jane.doe')).toBeNull();
  });

  it(`refuses fewer than ${PASSWORD_POLICY.minLength} and more than ${PASSWORD_POLICY.maxLength} characters, counting characters, not bytes`, () => {
    expect(passwordViolation('Xk4#pQ9!zL2', 'jane.doe')?.rule).toBe('min-length');
    expect(passwordViolation('é'.repeat(12), 'jane.doe')).toBeNull();
    expect(passwordViolation('a-long-phrase '.repeat(10), 'jane.doe')?.rule).toBe('max-length');
  });

  it('refuses common passwords, whatever their case', () => {
    for (const p of ['qwerty123456', 'QWERTY123456', '1qaz2wsx3edc', 'leavemealone']) expect(passwordViolation(p, 'jane.doe')?.rule).toBe('common');
  });

  it('refuses a password that contains the user id, whatever its case', () => {
    expect(passwordViolation('my-Jane.Doe-is-great', 'jane.doe')?.rule).toBe('contains-user-id');
  });

  it('names the field and the rule in the error', () => {
    try {
      assertPasswordPolicy('short', 'jane.doe');
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).toBody()).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'password must be at least 12 characters',
        field: 'password',
        details: { rule: 'min-length' },
      });
    }
  });
});
