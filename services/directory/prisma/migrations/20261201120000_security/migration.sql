-- Issue 14: one-time sign-in tokens are spent once, and rate limits are shared by every gateway.

-- A one-time token (the mfaToken, the enrollment token) that completed its step: a second use is
-- refused. Rows are kept until the token would have expired anyway.
CREATE TABLE "used_tokens" (
    "token_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "used_tokens_pkey" PRIMARY KEY ("token_id")
);
CREATE INDEX "used_tokens_expires_at_idx" ON "used_tokens"("expires_at");

-- The counters of rate-limiter-flexible's PostgreSQL store, in the shape it expects: the gateway
-- counts sign-in attempts per client, account-route calls and API-key calls here (not in Prisma's
-- schema: the directory never reads it).
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
