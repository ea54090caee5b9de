// Every object a client sends is validated against a schema that rejects unknown fields
// (REVIEW.md: "unknown fields are rejected"). `strictObject` builds such schemas, and
// `assertStrictRouteSchema` runs on every route at registration so a lax schema stops start-up.
import type { RouteOptions } from 'fastify';

export type JsonSchema = Readonly<Record<string, unknown>>;

/** An object schema with `additionalProperties: false`. `required` lists the mandatory fields. */
export function strictObject<const P extends Record<string, JsonSchema>>(
  properties: P,
  required: readonly (keyof P & string)[] = [],
): { readonly type: 'object'; readonly additionalProperties: false; readonly properties: P; readonly required: readonly (keyof P & string)[] } {
  return { type: 'object', additionalProperties: false, properties, required };
}

/** The parts of a request a client controls. Headers are excluded: browsers add their own. */
const CLIENT_PARTS = ['body', 'querystring', 'params'] as const;

export class LaxSchemaError extends Error {
  constructor(route: string, where: string) {
    super(`route ${route}: the schema at ${where} accepts unknown fields; build it with strictObject() or set additionalProperties: false`);
    this.name = 'LaxSchemaError';
  }
}

export function assertStrictRouteSchema(route: Pick<RouteOptions, 'method' | 'url' | 'schema'>): void {
  const name = `${String(route.method)} ${route.url}`;
  for (const part of CLIENT_PARTS) {
    const schema = route.schema?.[part];
    if (schema !== undefined) assertStrict(schema, part, name);
  }
}

function assertStrict(schema: unknown, where: string, route: string): void {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    schema.forEach((item: unknown, index) => assertStrict(item, `${where}[${index}]`, route));
    return;
  }
  const node = schema as Record<string, unknown>;
  const isObject = node['type'] === 'object' || (Array.isArray(node['type']) && node['type'].includes('object'))
    || node['properties'] !== undefined;
  // `additionalProperties: <schema>` is a deliberate map type and is allowed; absent or true is not.
  if (isObject && (node['additionalProperties'] === undefined || node['additionalProperties'] === true)) {
    throw new LaxSchemaError(route, where);
  }
  const children: [string, unknown][] = [];
  for (const [key, value] of Object.entries(node['properties'] ?? {})) children.push([`${where}.${key}`, value]);
  if (typeof node['additionalProperties'] === 'object') children.push([`${where}.*`, node['additionalProperties']]);
  if (node['items'] !== undefined) children.push([`${where}[]`, node['items']]);
  for (const keyword of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
    const list = node[keyword];
    if (Array.isArray(list)) list.forEach((item, index) => children.push([`${where}.${keyword}[${index}]`, item]));
  }
  for (const [childWhere, child] of children) assertStrict(child, childWhere, route);
}
