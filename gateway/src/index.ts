export { readCommittedSupergraph, startGateway, type GatewayOptions } from './gateway';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './auth/verify-token';
