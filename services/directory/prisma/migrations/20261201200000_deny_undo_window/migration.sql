-- Issue 17: a denial can be undone by an approver of the request until undo_until; after that it
-- is final and the requester is told. Null for approvals, other closures and older denials.
ALTER TABLE "role_requests" ADD COLUMN "undo_until" TIMESTAMPTZ(3);
ALTER TABLE "role_requests" ADD CONSTRAINT "role_requests_undo_until_check"
  CHECK ("undo_until" IS NULL OR ("status" = 'DENIED' AND "decided_at" IS NOT NULL AND "undo_until" > "decided_at"));
