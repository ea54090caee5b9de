// The page at `/` until the client is built. Plain HTML: no script, no style, nothing inline,
// so it renders under the strict CSP exactly as written.
import type { Mode } from '../config.ts';

export const DEMO_BANNER = 'DEMO DEPLOYMENT — not for real disclosures';

export function placeholderPage(mode: Mode): string {
  const banner = mode === 'demo'
    ? `<p role="alert"><strong>${DEMO_BANNER}</strong>. Anything sent here may be read by whoever runs it, and may be deleted at any time.</p>\n`
    : '';
  return `<!doctype html>
<html lang="en-NZ">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Candour</title>
</head>
<body>
<main>
${banner}<h1>Candour is running</h1>
<p>The server is up, but the disclosure pages have not been built yet, so there is nothing to use here.</p>
</main>
</body>
</html>
`;
}
