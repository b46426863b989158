export { readCommittedSupergraph, startGateway, type GatewayOptions } from './gateway';
export {
  createTokenVerifier,
  tokenVerifierOptionsFromEnv,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './auth/verify-token';
export { DEFAULT_HARDENING, hardeningFromEnv, type HardeningOptions } from './hardening/options';
