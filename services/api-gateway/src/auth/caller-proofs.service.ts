import { Inject, Injectable } from '@nestjs/common';
import { proofTarget, type CallerProofAction } from '@am/contracts';
import { CallerProofSigner } from '@am/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import type { OneTimeToken } from './tokens.service';
import type { CallerPrincipal } from './principal';

/**
 * Mints the caller proofs that go with every command acting for a person (issue 14): only after
 * the session guard has checked the caller, bound to one action on one target. The services verify
 * them and take the actor from them; the gateway is the only holder of the signing key.
 */
@Injectable()
export class CallerProofs {
  private readonly signer: Promise<CallerProofSigner>;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.signer = CallerProofSigner.create(config.CALLER_PROOF_SIGNING_KEY, config.CALLER_PROOF_TTL_SECONDS);
  }

  async for(caller: CallerPrincipal, action: CallerProofAction, target: string): Promise<string> {
    const via = caller.apiKey ? `api-key:${caller.apiKey.id}` : `session:${caller.sessionId}`;
    return (await this.signer).mint({ actorId: caller.userId, via }, action, target);
  }

  /** For a sign-in step: bound to the one-time token the gateway verified, whose id the directory then spends. */
  async forSignInStep(token: OneTimeToken, action: Extract<CallerProofAction, 'auth.second-factor' | 'auth.enroll'>): Promise<string> {
    return (await this.signer).mint({ actorId: token.userId, via: `sign-in-token:${token.tokenId}` }, action, proofTarget.signInToken(token.tokenId), token.tokenId);
  }
}
