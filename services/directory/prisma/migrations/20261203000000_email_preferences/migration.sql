-- Issue 19, part 4: email preferences. Per-request emails (IMMEDIATE, the default) or one daily
-- digest (DAILY) at the user's local hour in their IANA time zone (checked by the service with
-- Intl). digest_sent_for is the local date of the last digest run for the user (sent, or nothing
-- was waiting): at most one digest a local day.
CREATE TYPE "EmailDigest" AS ENUM ('IMMEDIATE', 'DAILY');

ALTER TABLE "users"
  ADD COLUMN "email_digest" "EmailDigest" NOT NULL DEFAULT 'IMMEDIATE',
  ADD COLUMN "digest_hour" SMALLINT NOT NULL DEFAULT 8,
  ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'America/New_York',
  ADD COLUMN "digest_sent_for" DATE,
  ADD CONSTRAINT "users_digest_hour_check" CHECK ("digest_hour" BETWEEN 0 AND 23),
  ADD CONSTRAINT "users_time_zone_check" CHECK (length("time_zone") BETWEEN 1 AND 64);

-- The digest schedule pages through the users on the daily digest only.
CREATE INDEX "users_daily_digest_idx" ON "users" ("id") WHERE "email_digest" = 'DAILY';
