// The id (UUIDv7) is the audit log's order, so its index also serves paging.
CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (e:AuditEntry) REQUIRE e.id IS UNIQUE
