// Attachment uploads over a flaky connection: chunks missing, repeated, out of order, conflicting;
// completion that names what is missing; and the daily purge of uploads nobody linked.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { concatBytes, toBase64Url, u32be } from '../../crypto/index.ts';
import { purgeAbandonedUploads } from '../../server/services/attachment-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { countRows, DiscloserClient, expectStatus, type Upload } from './discloser-fixtures.ts';

const NOW = new Date('2026-11-24T02:30:00Z');

describe.each(databaseKinds)('attachment uploads on %s', (kind) => {
  let deployment: TestDeployment;
  let client: DiscloserClient;
  let upload: Upload;

  beforeAll(async () => {
    deployment = await startTestDeployment(kind, { now: NOW });
    deployment.app.discloserAbuseControl.configure({ powDifficulty: 4 });
    client = new DiscloserClient(deployment);
  });
  afterAll(() => deployment.close());
  beforeEach(() => {
    upload = client.prepareUpload(new Uint8Array(1100).fill(7), 128);
  });

  const status = async (id: string) => (await client.inject('GET', `/api/attachments/${id}`)).json();

  it('starts an upload once: the same header again is 200, a different one 409', async () => {
    const first = await client.putHeader(upload);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ id: upload.id, chunkSize: 128, receivedIndexes: [], completed: false, chunkCount: null });
    expect((await client.putHeader(upload)).statusCode).toBe(200);
    const other = client.prepareUpload(new Uint8Array(10), 128);
    const conflict = await client.inject('PUT', `/api/attachments/${upload.id}`, { header: toBase64Url(other.header) });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('attachment_conflict');
  });

  it('accepts a repeated chunk with the same bytes and refuses different bytes', async () => {
    expectStatus(await client.putHeader(upload), 201);
    expect((await client.putChunk(upload.id, 0, upload.frames[0]!)).statusCode).toBe(201);
    const again = await client.putChunk(upload.id, 0, upload.frames[0]!);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ index: 0 });
    const altered = upload.frames[0]!.slice();
    altered[40] = altered[40]! ^ 1;
    const before = await countRows(deployment);
    const conflict = await client.putChunk(upload.id, 0, altered);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error).toEqual({ code: 'attachment_conflict', message: expect.stringContaining('Chunk 0') });
    expect(await countRows(deployment)).toEqual(before);
    const stored = await deployment.context.db.selectFrom('attachment_chunks').select('frame').where('attachment_id', '=', upload.id).executeTakeFirstOrThrow();
    expect(new Uint8Array(stored.frame)).toEqual(upload.frames[0]);
  });

  it('completes only when every chunk is there, naming the missing ones', async () => {
    expect(upload.frames.length).toBe(9);
    expectStatus(await client.putHeader(upload), 201);
    for (const index of [8, 6, 0, 1, 4]) expectStatus(await client.putChunk(upload.id, index, upload.frames[index]!), 201);
    expect((await status(upload.id)).receivedIndexes).toEqual([[0, 1], [4, 4], [6, 6], [8, 8]]);
    const incomplete = await client.complete(upload.id, 9);
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.json().error).toEqual({ code: 'attachment_incomplete', message: expect.stringContaining('2–3, 5, 7') });
    expect((await status(upload.id)).completed).toBe(false);
    for (const index of [7, 3, 2, 5]) expectStatus(await client.putChunk(upload.id, index, upload.frames[index]!), 201);
    const done = await client.complete(upload.id, 9);
    expect(done.statusCode).toBe(201);
    expect(done.json()).toEqual({ id: upload.id, chunkSize: 128, receivedIndexes: [[0, 8]], completed: true, chunkCount: 9 });
    // Completing again is a harmless retry; a different count is not; no chunk is taken after completion.
    expect((await client.complete(upload.id, 9)).statusCode).toBe(200);
    expect((await client.complete(upload.id, 8)).json().error.code).toBe('attachment_conflict');
    const late = await client.putChunk(upload.id, 0, upload.frames[0]!);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('attachment_conflict');
  });

  it('refuses a count that disagrees with the final flag', async () => {
    expectStatus(await client.putHeader(upload), 201);
    for (const [index, frame] of upload.frames.entries()) expectStatus(await client.putChunk(upload.id, index, frame), 201);
    const short = await client.complete(upload.id, 8);
    expect(short.statusCode).toBe(409);
    expect(short.json().error.code).toBe('attachment_conflict');
    const long = await client.complete(upload.id, 10);
    expect(long.json().error).toEqual({ code: 'attachment_incomplete', message: expect.stringContaining('9') });
    expect((await status(upload.id)).completed).toBe(false);
  });

  it.each([
    ['a frame naming another index', (frames: readonly Uint8Array[]) => ({ index: 1, frame: frames[0]! }), 400, 'invalid_ciphertext'],
    ['flags other than 0 or 1', (frames: readonly Uint8Array[]) => ({ index: 0, frame: concatBytes(frames[0]!.subarray(0, 4), Uint8Array.of(2), frames[0]!.subarray(5)) }), 400, 'invalid_ciphertext'],
    ['a short frame that is not final', (frames: readonly Uint8Array[]) => ({ index: 0, frame: frames[0]!.subarray(0, 100) }), 400, 'invalid_ciphertext'],
    ['a frame longer than a chunk', (frames: readonly Uint8Array[]) => ({ index: 0, frame: concatBytes(frames[0]!, new Uint8Array(1)) }), 400, 'invalid_ciphertext'],
    ['a frame shorter than its overhead', () => ({ index: 0, frame: concatBytes(u32be(0), Uint8Array.of(1), new Uint8Array(10)) }), 400, 'invalid_ciphertext'],
    ['an index past the largest attachment', () => ({ index: 2 ** 31 - 1, frame: new Uint8Array(149) }), 413, 'payload_too_large'],
  ] as const)('refuses %s and stores nothing', async (_name, make, status, code) => {
    expectStatus(await client.putHeader(upload), 201);
    const { index, frame } = make(upload.frames);
    const before = await countRows(deployment);
    const response = await client.putChunk(upload.id, index, frame);
    expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
    expect(await countRows(deployment)).toEqual(before);
  });

  it('takes frames only as application/octet-stream, only for a started upload', async () => {
    expectStatus(await client.putHeader(upload), 201);
    const json = await client.inject('PUT', `/api/attachments/${upload.id}/chunks/0`, { frame: 'AAAA' });
    expect([json.statusCode, json.json().error.code]).toEqual([415, 'unsupported_media_type']);
    const empty = await deployment.app.inject({ method: 'PUT', url: `/api/attachments/${upload.id}/chunks/0` });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'invalid_request']);
    const unknown = await client.putChunk('00000000-0000-0000-0000-000000000000', 0, upload.frames[0]!);
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'unknown_attachment']);
    const leadingZero = await deployment.app.inject({
      method: 'PUT',
      url: `/api/attachments/${upload.id}/chunks/01`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(upload.frames[1]!),
    });
    expect([leadingZero.statusCode, leadingZero.json().error.code]).toEqual([400, 'invalid_request']);
  });

  it('refuses a frame larger than the biggest chunk before reading it whole', async () => {
    const big = client.prepareUpload(new Uint8Array(10), 4 * 1024 * 1024);
    expectStatus(await client.putHeader(big), 201);
    const response = await client.putChunk(big.id, 0, new Uint8Array(4 * 1024 * 1024 + 22));
    expect([response.statusCode, response.json().error.code]).toEqual([413, 'payload_too_large']);
  });

  it.each([
    ['a header of the wrong length', () => toBase64Url(new Uint8Array(25)), 'invalid_encoding'],
    ['a header of another kind', (u: Upload) => toBase64Url(concatBytes(Uint8Array.of(1, 1, 4), u.header.subarray(3))), 'invalid_ciphertext'],
    ['a chunk size above 4 MiB', (u: Upload) => toBase64Url(concatBytes(u.header.subarray(0, 3), u32be(8 * 1024 * 1024), u.header.subarray(7))), 'invalid_ciphertext'],
    ['a chunk size below the protocol minimum', (u: Upload) => toBase64Url(concatBytes(u.header.subarray(0, 3), u32be(16), u.header.subarray(7))), 'invalid_ciphertext'],
    ['padded base64', (u: Upload) => `${toBase64Url(u.header)}==`, 'invalid_encoding'],
  ] as const)('refuses %s as a header and stores nothing', async (_name, header, code) => {
    const before = await countRows(deployment);
    const response = await client.inject('PUT', `/api/attachments/${upload.id}`, { header: header(upload) });
    expect([response.statusCode, response.json().error.code]).toEqual([400, code]);
    expect(await countRows(deployment)).toEqual(before);
  });

  it.each([
    ['a chunk count of zero', (id: string) => client.complete(id, 0), 400, 'invalid_request'],
    ['a chunk count given as text', (id: string) => client.inject('POST', `/api/attachments/${id}/complete`, { chunkCount: '9' }), 400, 'invalid_request'],
    ['an unknown field', (id: string) => client.inject('POST', `/api/attachments/${id}/complete`, { chunkCount: 9, final: true }), 400, 'invalid_request'],
    ['an unknown upload', () => client.complete('00000000-0000-0000-0000-000000000001', 9), 404, 'unknown_attachment'],
    ['a malformed id', () => client.complete('not-an-upload-id', 9), 400, 'invalid_request'],
    ['a status request for an unknown upload', () => client.inject('GET', '/api/attachments/00000000-0000-0000-0000-000000000001'), 404, 'unknown_attachment'],
    ['a status request for a malformed id', () => client.inject('GET', '/api/attachments/NOT-A-UUID'), 400, 'invalid_request'],
    ['a header with an unknown field', (id: string) => client.inject('PUT', `/api/attachments/${id}`, { header: toBase64Url(upload.header), name: 'x.pdf' }), 400, 'invalid_request'],
  ] as const)('refuses %s and changes nothing', async (_name, send, expected, code) => {
    expectStatus(await client.putHeader(upload), 201);
    for (const [index, frame] of upload.frames.entries()) expectStatus(await client.putChunk(upload.id, index, frame), 201);
    const before = await countRows(deployment);
    const response = await send(upload.id);
    expect([response.statusCode, response.json().error.code]).toEqual([expected, code]);
    expect(await countRows(deployment)).toEqual(before);
    expect((await status(upload.id)).completed).toBe(false);
  });

  it('purges uploads nobody linked after three days, and keeps linked ones', async () => {
    const abandoned = client.prepareUpload(new Uint8Array(300), 128);
    await client.upload(abandoned);
    const linked = client.prepareUpload(new Uint8Array(300), 128);
    await client.upload(linked);
    const sealed = await client.seal(deployment.organisationIds[0]!, { uploads: [linked] });
    expectStatus(await client.submit(sealed.request), 201);

    deployment.setNow(new Date('2026-11-27T02:30:00Z'));
    expect(await purgeAbandonedUploads(deployment.context)).toBe(0);
    deployment.setNow(new Date('2026-11-28T02:30:00Z'));
    const fresh = client.prepareUpload(new Uint8Array(300), 128);
    expectStatus(await client.putHeader(fresh), 201);
    const purged = await purgeAbandonedUploads(deployment.context);
    expect(purged).toBeGreaterThanOrEqual(1);
    const db = deployment.context.db;
    expect(await db.selectFrom('attachments').select('id').where('id', '=', abandoned.id).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom('attachment_chunks').select('index').where('attachment_id', '=', abandoned.id).execute()).toEqual([]);
    expect(await db.selectFrom('attachments').select('id').where('id', '=', linked.id).executeTakeFirst()).toEqual({ id: linked.id });
    expect(await db.selectFrom('attachments').select('id').where('id', '=', fresh.id).executeTakeFirst()).toEqual({ id: fresh.id });
    deployment.setNow(NOW);
  });
});
