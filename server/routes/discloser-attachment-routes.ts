// Attachment uploads: the header as JSON, then each frame as a raw application/octet-stream body
// (one chunk per request, so nothing larger than a chunk is ever held in memory), in any order and
// as often as a flaky connection needs.
import type { FastifyInstance } from 'fastify';
import { STREAM_HEADER_BYTES } from '../../crypto/index.ts';
import { ApiError } from '../http/api-error.ts';
import { strictObject } from '../http/strict-schema.ts';
import { MAX_FRAME_BYTES } from '../services/attachment-service.ts';
import { binarySchema, decodeField, idParams, UUID_PATTERN } from './discloser-input.ts';
import type { DiscloserServices } from './discloser-routes.ts';

const chunkParams = strictObject({
  id: { type: 'string', pattern: UUID_PATTERN },
  // Decimal without leading zeros, so each index has one spelling; at most 2^31-1.
  index: { type: 'string', pattern: '^(0|[1-9][0-9]{0,9})$' },
}, ['id', 'index']);

export function registerAttachmentRoutes(app: FastifyInstance, services: DiscloserServices): void {
  const { abuse, attachments } = services;
  const quiet = { accessLog: false };

  app.put<{ Params: { id: string }; Body: { header: string } }>('/api/attachments/:id', {
    config: quiet,
    onRequest: async () => abuse.limit('uploads'),
    schema: { params: idParams('id'), body: strictObject({ header: binarySchema(2 * STREAM_HEADER_BYTES) }, ['header']) },
  }, async (request, reply) => {
    const header = decodeField('header', request.body.header, { length: STREAM_HEADER_BYTES });
    const { created, status } = await attachments.begin(request.params.id, header);
    return reply.code(created ? 201 : 200).send(status);
  });

  app.get<{ Params: { id: string } }>('/api/attachments/:id', {
    config: quiet,
    schema: { params: idParams('id') },
  }, async (request) => attachments.status(request.params.id));

  app.post<{ Params: { id: string }; Body: { chunkCount: number } }>('/api/attachments/:id/complete', {
    config: quiet,
    schema: {
      params: idParams('id'),
      body: strictObject({ chunkCount: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 } }, ['chunkCount']),
    },
  }, async (request, reply) => {
    const { changed, status } = await attachments.complete(request.params.id, request.body.chunkCount);
    return reply.code(changed ? 201 : 200).send(status);
  });

  // Frames arrive as raw bytes: this scope parses application/octet-stream (and nothing else) up to
  // one frame, and only for this route.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_FRAME_BYTES }, (_request, body, done) => {
      done(null, body);
    });
    scope.addContentTypeParser('*', (_request, _payload, done) => {
      done(ApiError.unsupportedMediaType('Send the frame as the raw body with Content-Type: application/octet-stream.'), undefined);
    });
    scope.put<{ Params: { id: string; index: string } }>('/api/attachments/:id/chunks/:index', {
      config: quiet,
      bodyLimit: MAX_FRAME_BYTES,
      schema: { params: chunkParams },
    }, async (request, reply) => {
      const frame = request.body;
      if (!(frame instanceof Uint8Array)) {
        throw ApiError.invalidRequest('Send the frame as the raw body with Content-Type: application/octet-stream.');
      }
      const index = Number(request.params.index);
      if (index > 2 ** 31 - 1) throw ApiError.invalidRequest('The chunk index is too large.');
      const { created } = await attachments.putChunk(request.params.id, index, frame);
      return reply.code(created ? 201 : 200).send({ index });
    });
  });
}
