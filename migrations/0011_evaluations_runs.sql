CREATE TABLE "evaluation_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"sample_row_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"domain" text NOT NULL,
	"score" real,
	"correct" boolean NOT NULL,
	"output_enc" text,
	"latency_ms" real,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"attempts" integer NOT NULL,
	"error" text,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_run_shards" (
	"run_id" uuid NOT NULL,
	"shard" integer NOT NULL,
	"from_position" integer NOT NULL,
	"to_position" integer NOT NULL,
	"claim" uuid,
	"heartbeat_at" timestamp with time zone,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evaluation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"name" text,
	"suite_id" uuid NOT NULL,
	"suite_version_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"window_id" uuid NOT NULL,
	"runner_user_id" uuid NOT NULL,
	"key_id" uuid,
	"key_secret_enc" text,
	"status" text NOT NULL,
	"status_reason" text,
	"concurrency" integer NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evaluation_samples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"suite_version_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"domain" text NOT NULL,
	"body_enc" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_suite_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"suite_id" uuid NOT NULL,
	"version" text NOT NULL,
	"solver" jsonb NOT NULL,
	"scorer" jsonb NOT NULL,
	"sample_count" integer NOT NULL,
	"domains" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_suites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"benchmark_id" uuid,
	"benchmark_domain" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_results_run_position_idx" ON "evaluation_results" USING btree ("run_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_run_shards_pk" ON "evaluation_run_shards" USING btree ("run_id","shard");--> statement-breakpoint
CREATE INDEX "evaluation_runs_owner_idx" ON "evaluation_runs" USING btree ("owner_org_id","created_at");--> statement-breakpoint
CREATE INDEX "evaluation_runs_status_idx" ON "evaluation_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "evaluation_runs_suite_idx" ON "evaluation_runs" USING btree ("suite_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_samples_version_position_idx" ON "evaluation_samples" USING btree ("suite_version_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_suite_versions_suite_version_idx" ON "evaluation_suite_versions" USING btree ("suite_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_suites_org_name_idx" ON "evaluation_suites" USING btree ("owner_org_id","name");--> statement-breakpoint
CREATE INDEX "evaluation_suites_benchmark_idx" ON "evaluation_suites" USING btree ("benchmark_id");