// OTLP/HTTP metrics codec: protobuf via protobufjs over the official OTLP .proto files (shipped
// in @opentelemetry/otlp-grpc-exporter-base), decoded into the same plain shape as OTLP/JSON.
// Those protos predate partial success, so ExportMetricsPartialSuccess is added through the
// protobufjs reflection API with its field numbers from the current specification.
import { createRequire } from 'node:module';
import path from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const PROTO_ROOT = path.join(path.dirname(require.resolve('@opentelemetry/otlp-grpc-exporter-base/package.json')), 'build', 'protos');

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target);
  root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
  const ns = root.lookup('opentelemetry.proto.collector.metrics.v1') as protobuf.Namespace;
  const partial = new protobuf.Type('ExportMetricsPartialSuccess')
    .add(new protobuf.Field('rejectedDataPoints', 1, 'int64'))
    .add(new protobuf.Field('errorMessage', 2, 'string'));
  ns.add(partial);
  const response = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');
  if (!response.fields.partialSuccess) response.add(new protobuf.Field('partialSuccess', 1, 'ExportMetricsPartialSuccess'));
  root.resolveAll();
  return root;
}

const root = loadRoot();
const Request = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
const Response = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');

/** Decodes a protobuf ExportMetricsServiceRequest into the OTLP/JSON object shape; throws on malformed input. */
export function decodeMetricsRequest(body: Uint8Array): Record<string, unknown> {
  const msg = Request.decode(body);
  return Request.toObject(msg, { longs: String, enums: Number, bytes: String, arrays: true, defaults: false, oneofs: false }) as Record<string, unknown>;
}

export function encodeMetricsResponse(partial?: { rejectedDataPoints: number; errorMessage: string }): Uint8Array {
  const payload = partial ? { partialSuccess: { rejectedDataPoints: partial.rejectedDataPoints, errorMessage: partial.errorMessage } } : {};
  return Response.encode(Response.fromObject(payload)).finish();
}

export function decodeMetricsResponse(body: Uint8Array): { partialSuccess?: { rejectedDataPoints?: string; errorMessage?: string } } {
  return Response.toObject(Response.decode(body), { longs: String }) as never;
}

/** Encodes a request from the OTLP/JSON object shape (used by tests to send crafted payloads). */
export function encodeMetricsRequest(obj: Record<string, unknown>): Uint8Array {
  return Request.encode(Request.fromObject(obj)).finish();
}
