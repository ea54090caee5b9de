/// <reference types="svelte" />

/**
 * The operator's root public keys (Ed25519, base64url), fixed at build time from
 * CANDOUR_PINNED_ROOT_KEYS. Empty in a demo build: the client then fetches the demo root from
 * the server and says plainly that this protects nothing against the server.
 */
declare const __CANDOUR_PINNED_ROOT_KEYS__: readonly string[];

/** Stylesheets imported for their side effect; Vite emits them as .css files. */
declare module '*.css';
