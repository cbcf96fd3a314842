// String formats shared by the catalog schemas and the envelope parser, written once.
import { FormatRegistry } from '@sinclair/typebox';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export const isUuid = (v: string) => UUID_PATTERN.test(v);
export const isDateTime = (v: string) => DATE_TIME_PATTERN.test(v) && !Number.isNaN(Date.parse(v));

// TypeBox ships no string formats; register the ones the catalog uses.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isDateTime);
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', isUuid);
