-- The W3C traceparent of the request that wrote the row (null outside a trace), so the relay's publish
-- continues its trace (libs/platform/src/telemetry/event-spans.ts, docs/tracing.md).
ALTER TABLE "outbox" ADD COLUMN "traceparent" TEXT;
