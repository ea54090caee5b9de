// The receivers the page offers are only ever those of a directory that verifies against the
// root key pinned in the build (or, in a demo build, the demo root the server names, flagged as
// such). Anything else stops the flow: no partial list, no fallback.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDirectoryDocument, type DirectoryDocument, loadBackend, type Primitives, toBase64Url } from '../../crypto/index.ts';
import { type DeploymentKeys, runKeyCeremony } from '../../server/demo/ceremony.ts';
import { DirectoryUntrustedError, loadTrustedDirectory } from '../../client/lib/directory.ts';
import { uuidFromBytes } from '../../client/lib/ids.ts';
import { E2E_ORGANISATIONS } from '../e2e/helpers/server.ts';
import { apiError, fakeServer, type FakeServer, json } from './helpers/fake-server.ts';

let p: Primitives;
let keys: DeploymentKeys;
let document: DirectoryDocument;
let server: FakeServer | undefined;

function pin(roots: readonly string[]): void {
  (globalThis as { __CANDOUR_PINNED_ROOT_KEYS__?: readonly string[] }).__CANDOUR_PINNED_ROOT_KEYS__ = roots;
}

beforeAll(async () => {
  p = await loadBackend({ prefer: 'noble' });
  keys = runKeyCeremony(p, E2E_ORGANISATIONS);
  document = buildDirectoryDocument(keys.organisations.map((o) => ({ certificate: o.certificate, roster: o.roster, members: o.members })));
});

afterEach(() => {
  server?.restore();
  server = undefined;
});

describe('loadTrustedDirectory', () => {
  it('offers every organisation of a directory that verifies against the pinned root', async () => {
    pin([toBase64Url(keys.rootPublicKey)]);
    server = fakeServer();
    server.on('GET', '/api/directory', () => json(200, document));
    const directory = await loadTrustedDirectory();
    expect(directory.demoRoot).toBe(false);
    expect(directory.receivers.map((r) => r.name)).toEqual(E2E_ORGANISATIONS.map((o) => o.name));
    expect(directory.receivers.map((r) => r.uuid)).toEqual(keys.organisations.map((o) => uuidFromBytes(o.id)));
    expect(directory.receivers[0]!.organisation.recipients).toHaveLength(3);
    expect(server.calls.map((c) => c.path)).toEqual(['/api/directory']);
  });

  it('in a demo build, takes the root from the server and says so', async () => {
    pin([]);
    server = fakeServer();
    server.on('GET', '/demo/root-public-key.json', () => json(200, { rootPublicKeys: [toBase64Url(keys.rootPublicKey)] }));
    server.on('GET', '/api/directory', () => json(200, document));
    const directory = await loadTrustedDirectory();
    expect(directory.demoRoot).toBe(true);
    expect(directory.receivers).toHaveLength(3);
  });

  it.each([
    ['a member removed from an organisation', (d: DirectoryDocument) => ({ ...d, organisations: [{ ...d.organisations[0]!, members: d.organisations[0]!.members.slice(1) }, ...d.organisations.slice(1)] })],
    ['an officer certificate swapped between organisations', (d: DirectoryDocument) => ({ ...d, organisations: [{ ...d.organisations[0]!, members: [d.organisations[2]!.members[0]!, ...d.organisations[0]!.members.slice(1)] }, ...d.organisations.slice(1)] })],
    ['something that is not a directory', () => ({ hello: 'world' })],
  ])('stops on %s', async (_what, tamper) => {
    pin([toBase64Url(keys.rootPublicKey)]);
    server = fakeServer();
    server.on('GET', '/api/directory', () => json(200, tamper(document)));
    await expect(loadTrustedDirectory()).rejects.toBeInstanceOf(DirectoryUntrustedError);
  });

  it('stops when the directory is signed by another root than the pinned one', async () => {
    const other = runKeyCeremony(p, E2E_ORGANISATIONS);
    pin([toBase64Url(other.rootPublicKey)]);
    server = fakeServer();
    server.on('GET', '/api/directory', () => json(200, document));
    await expect(loadTrustedDirectory()).rejects.toThrow(/not certified by a trusted root key/);
  });

  it('stops when a build without a pinned root meets a server that is not a demo', async () => {
    pin([]);
    server = fakeServer();
    server.on('GET', '/demo/root-public-key.json', () => apiError(404, 'not_found'));
    server.on('GET', '/api/directory', () => json(200, document));
    await expect(loadTrustedDirectory()).rejects.toThrow(/built without a root key, and this server is not a demo/);
  });

  it('stops when the demo root the server sends is malformed', async () => {
    pin([]);
    server = fakeServer();
    server.on('GET', '/demo/root-public-key.json', () => json(200, { rootPublicKeys: ['not-a-key'] }));
    server.on('GET', '/api/directory', () => json(200, document));
    await expect(loadTrustedDirectory()).rejects.toBeInstanceOf(DirectoryUntrustedError);
  });
});
