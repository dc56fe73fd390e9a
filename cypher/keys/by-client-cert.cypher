UNWIND $fingerprints AS fingerprint
MATCH (k:ApiKey {clientCertSha256: fingerprint}) USING INDEX SEEK k:ApiKey(clientCertSha256)
RETURN properties(k) AS fields
ORDER BY k.createTime, k.id
