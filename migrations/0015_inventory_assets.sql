CREATE TABLE "inventory_assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'system' NOT NULL,
	"description" text,
	"current_sbom_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"tlp_max" text DEFAULT 'CLEAR' NOT NULL,
	"secret_enc" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_components" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"sbom_id" uuid,
	"source" text NOT NULL,
	"purl" text,
	"package" text,
	"ecosystem" text,
	"namespace" text,
	"name" text NOT NULL,
	"version" text,
	"cpe" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_operator_profiles" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"size" text,
	"priority_tier" integer,
	"contacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_sboms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"format" text NOT NULL,
	"spec_version" text NOT NULL,
	"serial_number" text,
	"subject_name" text,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"component_count" integer NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_assets_org_name_idx" ON "inventory_assets" USING btree ("owner_org_id","name");--> statement-breakpoint
CREATE INDEX "inventory_channels_org_idx" ON "inventory_channels" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "inventory_components_sbom_idx" ON "inventory_components" USING btree ("sbom_id");--> statement-breakpoint
CREATE INDEX "inventory_components_asset_idx" ON "inventory_components" USING btree ("asset_id","source");--> statement-breakpoint
CREATE INDEX "inventory_components_package_idx" ON "inventory_components" USING btree ("package");--> statement-breakpoint
CREATE INDEX "inventory_components_org_idx" ON "inventory_components" USING btree ("owner_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_sboms_asset_version_idx" ON "inventory_sboms" USING btree ("asset_id","version");