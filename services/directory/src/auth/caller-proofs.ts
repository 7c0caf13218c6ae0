import type { Provider } from '@nestjs/common';
import { CallerProofVerifier } from '@am/service-kit';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';

/** Verifies the gateway's caller proofs (issue 14): with the public keys only. */
export const callerProofVerifierProvider: Provider = {
  provide: CallerProofVerifier,
  useFactory: (config: DirectoryConfig) => new CallerProofVerifier(config.CALLER_PROOF_PUBLIC_KEYS),
  inject: [DIRECTORY_CONFIG],
};
