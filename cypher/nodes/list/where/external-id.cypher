n.externalId = $externalId
