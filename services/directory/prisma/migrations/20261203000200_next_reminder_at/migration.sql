-- Issue 19: when a pending request's next reminder goes out, as its workflow computed it from the
-- program calendar; null for requests started before, and once none will.
ALTER TABLE "role_requests" ADD COLUMN "next_reminder_at" TIMESTAMPTZ(3);
