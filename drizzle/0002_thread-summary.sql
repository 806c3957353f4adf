-- Listing summaries move onto threads; existing threads are filled in from their messages.
ALTER TABLE "threads" ADD COLUMN "participant_names" text[];--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "last_sender" text;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "last_excerpt" text;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "last_sent_at" timestamp (3) with time zone;--> statement-breakpoint
UPDATE "threads" t SET
	"participant_names" = array(
		select u."username" from "participants" p join "users" u on u."id" = p."user_id"
		where p."thread_id" = t."id" order by u."username"),
	"last_sender" = last."username",
	"last_excerpt" = case when char_length(last."line") > 140 then left(last."line", 139) || '…' else last."line" end,
	"last_sent_at" = last."sent_at"
FROM (
	select distinct on (m."thread_id") m."thread_id", m."sent_at", u."username",
		btrim(regexp_replace(m."content", '\s+', ' ', 'g')) as "line"
	from "messages" m join "users" u on u."id" = m."sender_id"
	order by m."thread_id", m."id" desc
) last
WHERE last."thread_id" = t."id";--> statement-breakpoint
ALTER TABLE "threads" ALTER COLUMN "participant_names" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "threads" ALTER COLUMN "last_sender" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "threads" ALTER COLUMN "last_excerpt" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "threads" ALTER COLUMN "last_sent_at" SET NOT NULL;
