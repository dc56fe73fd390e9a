n.id < $afterId
