CREATE TABLE "user_blocks" (
	"blocker_id" integer NOT NULL,
	"blocked_id" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_blocks_blocker_id_blocked_id_pk" PRIMARY KEY("blocker_id","blocked_id")
);
--> statement-breakpoint
DROP INDEX "participants_inbox_idx";--> statement-breakpoint
DROP INDEX "participants_unread_idx";--> statement-breakpoint
DROP INDEX "participants_deleted_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "kind" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "about_user_id" integer;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "archived_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "muted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "left_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "request_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "last_sent_message_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "visible_from_message_id" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "dm_policy" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "user_blocks" ADD CONSTRAINT "user_blocks_blocker_id_users_id_fk" FOREIGN KEY ("blocker_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_blocks" ADD CONSTRAINT "user_blocks_blocked_id_users_id_fk" FOREIGN KEY ("blocked_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_blocks_blocked_idx" ON "user_blocks" USING btree ("blocked_id","blocker_id");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_about_user_id_users_id_fk" FOREIGN KEY ("about_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin (to_tsvector('simple', "content")) WHERE "messages"."kind" = 0;--> statement-breakpoint
CREATE INDEX "participants_archive_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE deleted_at is null and archived_at is not null and left_at is null and request_at is null;--> statement-breakpoint
CREATE INDEX "participants_requests_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE deleted_at is null and request_at is not null and left_at is null;--> statement-breakpoint
CREATE INDEX "participants_sent_idx" ON "participants" USING btree ("user_id","last_sent_message_id") WHERE deleted_at is null and left_at is null and "participants"."last_sent_message_id" > 0;--> statement-breakpoint
CREATE INDEX "participants_inbox_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE deleted_at is null and archived_at is null and left_at is null and request_at is null;--> statement-breakpoint
CREATE INDEX "participants_unread_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE deleted_at is null and archived_at is null and left_at is null and request_at is null and muted_at is null and "participants"."last_message_id" > "participants"."read_message_id";--> statement-breakpoint
CREATE INDEX "participants_deleted_idx" ON "participants" USING btree ("user_id","last_message_id") WHERE deleted_at is not null and left_at is null;--> statement-breakpoint
-- The Sent folder of the threads that exist already: each participant's own newest message.
UPDATE "participants" p SET "last_sent_message_id" = s.id
FROM (SELECT thread_id, sender_id, max(id) AS id FROM "messages" GROUP BY thread_id, sender_id) s
WHERE s.thread_id = p.thread_id AND s.sender_id = p.user_id;
