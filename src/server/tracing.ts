/**
 * OpenTelemetry tracing, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (observability.ts
 * imports this module dynamically, so a server without it loads none of OpenTelemetry).
 * One span per GraphQL operation (its name, type, result code and request id) with a span
 * under it for each store call it made, nested as the calls were (a mutation's calls under
 * its one transaction), sent over OTLP/HTTP (JSON) in batches. No global tracer provider
 * or context manager is installed: two servers in one process keep their own, and the
 * parent of a store span is found in the request's scope (request-id.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { StoreCall, StoreObserver } from '../graph/observed-store.js';
import { OK_CODE } from './metrics.js';
import type { OperationSpan, OperationTracing } from './operation-observers.js';
import { currentRequestScope } from './request-id.js';

export interface TracingOptions {
  /** Where spans are POSTed: the OTLP/HTTP traces URL (…/v1/traces). */
  tracesUrl: string;
  /** service.name of the spans; default data-journey. */
  serviceName?: string;
  /** How long spans wait to be sent in a batch; default 5,000 ms (OpenTelemetry's). */
  batchDelayMs?: number;
}

/** Starts the exporter and returns the server's tracing. */
export function startTracing(options: TracingOptions): OperationTracing {
  const exporter = new OTLPTraceExporter({ url: options.tracesUrl });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? 'data-journey' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.batchDelayMs ?? 5_000 })],
  });
  const tracer = provider.getTracer('data-journey');
  // The store span being run, so a call made inside another's work (a transaction's) is its child.
  const storeSpan = new AsyncLocalStorage<Span>();

  const storeObserver: StoreObserver = {
    observe<T>(call: StoreCall, run: () => Promise<T>): Promise<T> {
      const parent = storeSpan.getStore() ?? (currentRequestScope()?.operationSpan as OtelOperationSpan | undefined)?.span;
      // Store calls outside an operation (start-up, gRPC) are not traced: a root span per call would be noise.
      if (parent === undefined) return run();
      const span = tracer.startSpan(`store.${call.name}`, { attributes: { 'journey.store.kind': call.kind } }, trace.setSpan(ROOT_CONTEXT, parent));
      return storeSpan.run(span, run).then((value) => {
        span.end();
        return value;
      }, (error: unknown) => {
        // The error's class only: messages may carry names from the request.
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
        span.end();
        throw error;
      });
    },
  };

  return {
    startOperation: (requestId) => new OtelOperationSpan(tracer.startSpan('graphql', {
      kind: SpanKind.SERVER, attributes: requestId === undefined ? {} : { 'journey.request_id': requestId },
    })),
    storeObserver,
    shutdown: () => provider.shutdown(),
  };
}

class OtelOperationSpan implements OperationSpan {
  constructor(readonly span: Span) {}

  describe(name: string | null, type: string | null): void {
    if (type !== null) this.span.setAttribute('graphql.operation.type', type);
    if (name !== null) this.span.setAttribute('graphql.operation.name', name);
    this.span.updateName(`${type ?? 'graphql'} ${name ?? '(anonymous)'}`);
  }

  end(codes: readonly string[]): void {
    const code = codes[0] ?? OK_CODE;
    this.span.setAttribute('journey.result_code', code);
    if (code !== OK_CODE) this.span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    this.span.end();
  }
}
