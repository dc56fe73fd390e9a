// A null note removes the property.
UNWIND $rows AS row
MATCH (i:ErasureItem {key: row.key}) USING INDEX SEEK i:ErasureItem(key)
SET i.status = row.status, i.note = row.note, i.updateTime = row.updateTime
