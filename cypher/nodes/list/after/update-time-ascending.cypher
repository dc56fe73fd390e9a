// Written as a range on the order field first, so an index on it can serve the seek.
n.updateTime >= $afterValue AND (n.updateTime > $afterValue OR n.id > $afterId)
