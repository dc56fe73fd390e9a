n.id > $afterId
