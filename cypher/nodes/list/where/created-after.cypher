n.createTime > $createdAfter
