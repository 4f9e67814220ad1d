/**
 * The GeoReport v2 response shapes, written from the spec's text (open311.org GeoReport_v2,
 * Service Discovery, and FixMyStreet's servicerequestupdates extension). Every JSON response is
 * checked against these in the tests, and every XML response is read back through the same
 * mapping (core/xml.ts `fromXml`) and checked against the same schema.
 *
 * Spec quirks settled here: ids, codes and zip codes are strings (the spec's JSON examples show
 * `001` as a number, which is not even valid JSON); lat/long are numbers; every optional field
 * is present and `null` when empty (an empty XML element), never `""`.
 */
import { z } from 'zod';

/** W3C datetime with a timezone, as the spec demands (`2026-11-23T09:00:00+08:00`). */
export const W3cDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, { message: 'W3C datetime with timezone' });

const nonEmpty = z.string().min(1);
const optionalText = nonEmpty.nullable();

export const Discovery = z
  .object({
    changeset: W3cDateTime,
    contact: nonEmpty,
    key_service: nonEmpty,
    endpoints: z
      .array(
        z
          .object({
            specification: z.literal('http://wiki.open311.org/GeoReport_v2'),
            url: z.url(),
            changeset: W3cDateTime,
            type: z.enum(['production', 'test']),
            formats: z.array(z.enum(['text/xml', 'application/json'])).min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const Service = z
  .object({
    service_code: nonEmpty,
    service_name: nonEmpty,
    description: optionalText,
    metadata: z.boolean(),
    type: z.enum(['realtime', 'batch', 'blackbox']),
    keywords: optionalText,
    group: optionalText,
  })
  .strict();
export const Services = z.array(Service);

export const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;

export const Attribute = z
  .object({
    variable: z.boolean(),
    code: nonEmpty,
    datatype: z.enum(DATATYPES),
    required: z.boolean(),
    datatype_description: optionalText,
    order: z.number().int().positive(),
    description: optionalText,
    values: z.array(z.object({ key: nonEmpty, name: nonEmpty }).strict()).nullable(),
  })
  .strict();

export const ServiceDefinition = z
  .object({ service_code: nonEmpty, attributes: z.array(Attribute) })
  .strict()
  .refine((d) => new Set(d.attributes.map((a) => a.order)).size === d.attributes.length, { message: 'attribute order must be unique' });

/** POST /requests: one item with `service_request_id` or `token`, never both. */
export const CreatedRequests = z
  .array(
    z
      .object({
        service_request_id: nonEmpty.optional(),
        token: nonEmpty.optional(),
        service_notice: optionalText,
        account_id: optionalText,
      })
      .strict()
      .refine((r) => (r.service_request_id === undefined) !== (r.token === undefined), { message: 'service_request_id or token, not both' }),
  )
  .length(1);

export const ServiceRequest = z
  .object({
    service_request_id: nonEmpty,
    status: z.enum(['open', 'closed']),
    status_notes: optionalText,
    service_name: optionalText,
    service_code: nonEmpty,
    description: nonEmpty.max(4000).nullable(),
    agency_responsible: optionalText,
    service_notice: optionalText,
    requested_datetime: W3cDateTime,
    updated_datetime: W3cDateTime.nullable(),
    expected_datetime: W3cDateTime.nullable(),
    address: optionalText,
    address_id: optionalText,
    zipcode: optionalText,
    lat: z.number().min(-90).max(90).nullable(),
    long: z.number().min(-180).max(180).nullable(),
    media_url: optionalText,
  })
  .strict()
  .refine((r) => (r.lat === null) === (r.long === null), { message: 'lat and long go together' });
export const ServiceRequests = z.array(ServiceRequest);
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const TokenResults = z.array(z.object({ service_request_id: optionalText, token: nonEmpty }).strict()).length(1);

/** FixMyStreet's extended statuses (`perllib/Open311.pm` map_state) that minsheng emits. */
export const UPDATE_STATUSES = ['ACTION_SCHEDULED', 'IN_PROGRESS', 'INVESTIGATING', 'FIXED', 'CLOSED', 'NO_FURTHER_ACTION', 'NOT_COUNCILS_RESPONSIBILITY', 'DUPLICATE'] as const;

export const RequestUpdate = z
  .object({
    update_id: nonEmpty,
    service_request_id: nonEmpty,
    status: z.enum(UPDATE_STATUSES),
    updated_datetime: W3cDateTime,
    description: optionalText,
    media_url: optionalText,
    external_status_code: optionalText,
  })
  .strict();
export const RequestUpdates = z.array(RequestUpdate);
export type RequestUpdate = z.infer<typeof RequestUpdate>;

/** Errors: `[{"code":400,"description":"…"}]`, several allowed. */
export const Errors = z.array(z.object({ code: z.number().int().min(400).max(599), description: nonEmpty }).strict()).min(1);

export type Discovery = z.infer<typeof Discovery>;
export type Service = z.infer<typeof Service>;
export type ServiceDefinition = z.infer<typeof ServiceDefinition>;
export type CreatedRequests = z.infer<typeof CreatedRequests>;
export type TokenResults = z.infer<typeof TokenResults>;
export type Errors = z.infer<typeof Errors>;

/** An API key as an administrator sees it (never the key itself, which is shown once). */
export const CreateApiKeyBody = z.object({ label: z.string().trim().min(1).max(100) }).strict();
