// Only the changeable fields are set; a null expireTime or revokeTime removes the property.
UNWIND $rows AS row
MATCH (k:ApiKey {id: row.id}) USING INDEX SEEK k:ApiKey(id)
SET k.name = row.name, k.role = row.role, k.expireTime = row.expireTime, k.revokeTime = row.revokeTime
