DROP INDEX "participants_inbox_idx";--> statement-breakpoint
DROP INDEX "participants_unread_idx";--> statement-breakpoint
DROP INDEX "participants_deleted_idx";--> statement-breakpoint
CREATE INDEX "participants_inbox_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE "participants"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "participants_unread_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE "participants"."deleted_at" is null and "participants"."last_message_id" > "participants"."read_message_id";--> statement-breakpoint
CREATE INDEX "participants_deleted_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE "participants"."deleted_at" is not null;