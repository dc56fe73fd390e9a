/**
 * The id source of every record the services make (nodes, types, audit entries, erasure
 * requests). Here, not in the metadata writes, so personal data can make ids without
 * importing the core's write steps.
 */
import { uuidv7 } from 'uuidv7';

/** A new server id: UUIDv7, so ids sort by creation time. */
export const newId = (): string => uuidv7();
