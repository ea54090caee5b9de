// Svelte compiler settings for the discloser client (vite.config.ts and svelte-check read this).
// Runes everywhere; styles are emitted to .css files, never injected as inline <style> (the CSP
// allows style-src 'self' only).
export default {
  compilerOptions: {
    runes: true,
    css: 'external',
  },
};
