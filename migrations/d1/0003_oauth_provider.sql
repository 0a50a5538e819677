CREATE TABLE `linked_identities` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`subject` text NOT NULL,
	`email` text,
	`profile` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`last_sign_in_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_id`) REFERENCES `upstream_connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `linked_identities_subject_unique` ON `linked_identities` (`tenant_id`,`connection_id`,`subject`);--> statement-breakpoint
CREATE INDEX `linked_identities_user_idx` ON `linked_identities` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `oauth_clients` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`first_party` integer DEFAULT false NOT NULL,
	`token_endpoint_auth_method` text NOT NULL,
	`secret_hash` text,
	`jwks` text,
	`redirect_uris` text DEFAULT '[]' NOT NULL,
	`post_logout_redirect_uris` text DEFAULT '[]' NOT NULL,
	`grant_types` text DEFAULT '[]' NOT NULL,
	`allowed_scopes` text DEFAULT '[]' NOT NULL,
	`allowed_resources` text DEFAULT '[]' NOT NULL,
	`access_token_ttl_seconds` integer,
	`refresh_token_ttl_seconds` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_via` text NOT NULL,
	`registration_token_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_clients_tenant_idx` ON `oauth_clients` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `oauth_consents` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`client_id` text NOT NULL,
	`scopes` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_id`, `client_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`client_id`) REFERENCES `oauth_clients`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_consents_client_idx` ON `oauth_consents` (`tenant_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `oauth_grants` (
	`session_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`client_id` text NOT NULL,
	`scope` text NOT NULL,
	`resources` text DEFAULT '[]' NOT NULL,
	`auth_time` integer NOT NULL,
	`acr` text,
	`login_session_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`client_id`) REFERENCES `oauth_clients`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_grants_login_session_idx` ON `oauth_grants` (`tenant_id`,`login_session_id`);--> statement-breakpoint
CREATE INDEX `oauth_grants_user_idx` ON `oauth_grants` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `oauth_grants_client_idx` ON `oauth_grants` (`tenant_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `upstream_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`slug` text NOT NULL,
	`kind` text NOT NULL,
	`display_name` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_encrypted` text,
	`issuer` text,
	`authorization_endpoint` text,
	`token_endpoint` text,
	`userinfo_endpoint` text,
	`jwks_uri` text,
	`scopes` text DEFAULT '[]' NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `upstream_connections_tenant_slug_unique` ON `upstream_connections` (`tenant_id`,`slug`);