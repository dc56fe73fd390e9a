// Taken by every write that adds parent links, before it reads the ancestry it checks for a
// cycle: setting a property takes the lock node's write lock until the transaction ends, so
// such writes run one after another, and each reads the links the one before committed.
// Without it two processes could each add one half of a cycle (a -> b and b -> a), each
// finding no cycle in what was committed when it looked.
MERGE (l:StoreLock {name: 'parent-contexts'})
SET l.taken = true
RETURN true AS locked
