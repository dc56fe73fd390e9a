n.createTime < $createdBefore
