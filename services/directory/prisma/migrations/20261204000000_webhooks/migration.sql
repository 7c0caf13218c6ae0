-- Issue 20: outbound webhooks. Subscriptions keep their signing secret sealed with
-- SECRETS_ENCRYPTION_KEYS (never in the clear); each delivery keeps the body it sends on every
-- attempt; the dispatcher's cursor says how far into the audit log deliveries exist. Written by hand.
CREATE TABLE "webhook_subscriptions" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "events" TEXT[],
    "organization_id" UUID,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "status_reason" TEXT,
    "status_changed_at" TIMESTAMPTZ(3),
    "failing_since" TIMESTAMPTZ(3),
    "sealed_secret" TEXT NOT NULL,
    "sealed_previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "secret_rotated_at" TIMESTAMPTZ(3),
    "after_event_id" BIGINT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_by_api_key_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_subscriptions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_subscriptions_status_check" CHECK ("status" IN ('ACTIVE', 'PAUSED', 'DISABLED')),
    CONSTRAINT "webhook_subscriptions_sealed_secret_check" CHECK ("sealed_secret" LIKE 'v1.%'),
    CONSTRAINT "webhook_subscriptions_sealed_previous_secret_check" CHECK ("sealed_previous_secret" IS NULL OR "sealed_previous_secret" LIKE 'v1.%')
);

CREATE INDEX "webhook_subscriptions_status_idx" ON "webhook_subscriptions"("status");

CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "audit_event_id" BIGINT,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_response_code" INTEGER,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "run" INTEGER NOT NULL DEFAULT 1,
    "started_at" TIMESTAMPTZ(3),
    "claimed_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED'))
);

CREATE UNIQUE INDEX "webhook_deliveries_subscription_id_audit_event_id_key" ON "webhook_deliveries"("subscription_id", "audit_event_id");
CREATE INDEX "webhook_deliveries_subscription_id_created_at_idx" ON "webhook_deliveries"("subscription_id", "created_at");
CREATE INDEX "webhook_deliveries_started_at_idx" ON "webhook_deliveries"("started_at");

CREATE TABLE "webhook_dispatch_cursor" (
    "id" INTEGER NOT NULL,
    "last_event_id" BIGINT NOT NULL,

    CONSTRAINT "webhook_dispatch_cursor_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_created_by_api_key_id_fkey" FOREIGN KEY ("created_by_api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
