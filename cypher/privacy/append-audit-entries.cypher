// The audit log only grows: no statement of cypher/ changes or removes an :AuditEntry.
UNWIND $rows AS row
CREATE (e:AuditEntry)
SET e = row
