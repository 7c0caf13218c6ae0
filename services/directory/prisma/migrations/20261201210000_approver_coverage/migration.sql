-- Issue 18: approver coverage. A Security Official is active when they signed in within
-- SECURITY_OFFICIAL_ACTIVE_DAYS; each sign-in stamps the account. Accounts that signed in before
-- this read their last session's start.
ALTER TABLE "users" ADD COLUMN "last_signed_in_at" TIMESTAMPTZ(3);
UPDATE "users" u SET "last_signed_in_at" = s.latest
  FROM (SELECT "user_id", max("created_at") AS latest FROM "sessions" GROUP BY "user_id") s
  WHERE s."user_id" = u."id";
