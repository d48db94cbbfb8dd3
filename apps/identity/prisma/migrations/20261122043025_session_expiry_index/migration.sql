-- CreateIndex
CREATE INDEX "session_ended_at_last_seen_at_idx" ON "session"("ended_at", "last_seen_at");
