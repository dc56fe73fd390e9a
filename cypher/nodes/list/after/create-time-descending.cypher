// Written as a range on the order field first, so an index on it can serve the seek.
n.createTime <= $afterValue AND (n.createTime < $afterValue OR n.id < $afterId)
