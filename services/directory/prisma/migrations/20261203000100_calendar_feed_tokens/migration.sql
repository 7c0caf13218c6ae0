-- Issue 19: each user's personal calendar feed token, never in the clear: its SHA-256 (hex) finds
-- the feed, the token sealed with SECRETS_ENCRYPTION_KEYS shows the URL again. Written by hand.
CREATE TABLE "calendar_feed_tokens" (
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "sealed_token" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_feed_tokens_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "calendar_feed_tokens_token_hash_check" CHECK ("token_hash" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "calendar_feed_tokens_sealed_token_check" CHECK ("sealed_token" LIKE 'v1.%')
);

CREATE UNIQUE INDEX "calendar_feed_tokens_token_hash_key" ON "calendar_feed_tokens"("token_hash");

ALTER TABLE "calendar_feed_tokens" ADD CONSTRAINT "calendar_feed_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
