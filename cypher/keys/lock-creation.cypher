// Taken by a write that decides on the set of keys as a whole (the first key, made only while
// none exists: JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE), before it counts the keys: setting a
// property takes the lock node's write lock until the transaction ends, so processes
// starting together on an empty database make their checks one after another, and only
// the first finds no key. The node is unique by name (migration 008), so two processes
// creating it at once cannot each get their own: the loser's write runs again and waits.
MERGE (l:StoreLock {name: 'api-keys'})
SET l.taken = true
RETURN true AS locked
