/**
 * `@tessera/sdk`: check Tessera tokens from an application. `createVerifier` is the client; the Fastify
 * plugin is in `@tessera/sdk/fastify` and the Express middleware in `@tessera/sdk/express`;
 * `checkRequest` is their framework-free core, for other frameworks.
 */
export {
  checkRequest,
  type Denial,
  type DenialCode,
  presentedToken,
  type RequestParts,
  type Resolvable,
  type TokenRequirement,
} from './middleware.ts';
export type {
  ErrorCode,
  ErrorResult,
  InvalidCode,
  InvalidResult,
  TokenIdentity,
  ValidResult,
  VerifyRequest,
  VerifyResult,
} from './result.ts';
export { type TokenKind, type TokenShape, tokenShape } from './token-shape.ts';
export { createVerifier, type Verifier, type VerifierOptions, type VerifierStats } from './verifier.ts';
