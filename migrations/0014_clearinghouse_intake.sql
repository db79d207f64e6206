CREATE TABLE "clearinghouse_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"vulnerability_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"media_type" text,
	"size_bytes" integer NOT NULL,
	"content_enc" text NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clearinghouse_idempotency" (
	"submitter_user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "clearinghouse_idempotency_submitter_user_id_key_pk" PRIMARY KEY("submitter_user_id","key")
);
--> statement-breakpoint
CREATE TABLE "clearinghouse_report_links" (
	"report_id" uuid NOT NULL,
	"candidate_index" integer NOT NULL,
	"vulnerability_id" uuid NOT NULL,
	"merged" boolean NOT NULL,
	"reporter_user_id" uuid NOT NULL,
	"reporter_org_id" uuid NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "clearinghouse_report_links_report_id_candidate_index_pk" PRIMARY KEY("report_id","candidate_index")
);
--> statement-breakpoint
CREATE TABLE "clearinghouse_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"submitter_user_id" uuid NOT NULL,
	"format" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"document_enc" text NOT NULL,
	"candidates_enc" text NOT NULL,
	"candidate_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clearinghouse_status_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"vulnerability_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"actor_user_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clearinghouse_vulnerabilities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"title_enc" text NOT NULL,
	"similarity_key" text,
	"status" text NOT NULL,
	"status_since" timestamp with time zone NOT NULL,
	"sla_due_at" timestamp with time zone,
	"cvss" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cwe" text[] DEFAULT '{}'::text[] NOT NULL,
	"affected" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"assigned_validator_user_id" uuid,
	"assigned_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clearinghouse_vulnerability_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"vulnerability_id" uuid NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "clearinghouse_evidence_vuln_idx" ON "clearinghouse_evidence" USING btree ("vulnerability_id");--> statement-breakpoint
CREATE INDEX "clearinghouse_links_vuln_idx" ON "clearinghouse_report_links" USING btree ("vulnerability_id");--> statement-breakpoint
CREATE INDEX "clearinghouse_links_reporter_idx" ON "clearinghouse_report_links" USING btree ("reporter_user_id");--> statement-breakpoint
CREATE INDEX "clearinghouse_reports_submitter_idx" ON "clearinghouse_reports" USING btree ("submitter_user_id","received_at");--> statement-breakpoint
CREATE INDEX "clearinghouse_history_vuln_idx" ON "clearinghouse_status_history" USING btree ("vulnerability_id","at");--> statement-breakpoint
CREATE INDEX "clearinghouse_vulns_status_idx" ON "clearinghouse_vulnerabilities" USING btree ("status","status_since");--> statement-breakpoint
CREATE INDEX "clearinghouse_vulns_similarity_idx" ON "clearinghouse_vulnerabilities" USING btree ("similarity_key");--> statement-breakpoint
CREATE INDEX "clearinghouse_vuln_keys_vuln_idx" ON "clearinghouse_vulnerability_keys" USING btree ("vulnerability_id");