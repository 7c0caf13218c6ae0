-- Issue 17: why a request was denied, as a code the requester is told in plain words.
-- Denials recorded before this read OTHER; only denials carry a code.
ALTER TABLE "role_requests" ADD COLUMN "reason_code" TEXT;
UPDATE "role_requests" SET "reason_code" = 'OTHER' WHERE "status" = 'DENIED';
ALTER TABLE "role_requests" ADD CONSTRAINT "role_requests_reason_code_check"
  CHECK ("reason_code" IN ('NOT_AFFILIATED', 'WRONG_ORGANIZATION', 'WRONG_ROLE', 'NEEDS_JUSTIFICATION', 'OTHER'));
