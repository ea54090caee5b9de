/**
 * Candour's cryptography: the only place that touches primitives. Isomorphic (browser, Node,
 * CLI), no I/O. Every function takes the backend (`Primitives`) first; get one with
 * `loadBackend()`. docs/protocol.md describes every byte format and the reasons for it.
 */
export type { BackendName, Primitives } from './backend/primitives.ts';
export { loadBackend, webAssemblyWorks, type LoadOptions } from './backend/select.ts';
export * from './bytes.ts';
export * from './errors.ts';
export { FORMAT_VERSION, SUITE_V1, Kind, Label } from './format.ts';
export { padme, paddedLength, MIN_PADDED_LENGTH } from './padding.ts';
export * from './mailbox-code.ts';
export * from './key-grant.ts';
export * from './envelope.ts';
export * from './stream.ts';
export * from './message.ts';
export * from './certificate.ts';
export * from './directory.ts';
export * from './key-file.ts';
export * from './mailbox-auth.ts';
export * from './proof-of-work.ts';
export * from './audit-chain.ts';
export * from './password.ts';
export * from './totp.ts';
export * from './server-token.ts';
export { signLabelled, verifyLabelled } from './signing.ts';
export * from './ceremony.ts';
export * from './recovery-share.ts';
export * from './root-rotation.ts';
export * from './case-bundle.ts';
