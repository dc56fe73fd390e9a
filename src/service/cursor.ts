/**
 * Opaque page cursors. A cursor carries the keyset position (order field value and id)
 * and the order it was made for, so it cannot be replayed against another order and
 * silently skip or repeat nodes.
 */
import { InvalidArgumentError } from '../graph/errors.js';
import type { NodeRecord } from '../graph/model.js';
import type { OrderField } from '../graph/store.js';

interface CursorBody { f: OrderField; a: boolean; v: number | string; i: string }

export function encodeCursor(node: NodeRecord, field: OrderField, ascending: boolean): string {
  const body: CursorBody = { f: field, a: ascending, v: field === 'id' ? node.id : node[field], i: node.id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The keyset position in a cursor; INVALID_ARGUMENT on `field` when it is malformed or made for another order. */
export function decodeCursor(cursor: string, field: OrderField, ascending: boolean, argName = 'after'): { value: number | string; id: string } {
  let body: Partial<CursorBody> | null = null;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    body = null;
  }
  const valueOk = field === 'id' ? typeof body?.v === 'string' : typeof body?.v === 'number';
  if (!body || typeof body.i !== 'string' || !valueOk || body.f === undefined) {
    throw new InvalidArgumentError(`${argName} is not a cursor this API made (use a page's endCursor)`, argName);
  }
  if (body.f !== field || body.a !== ascending) {
    throw new InvalidArgumentError(`${argName} was made for another order; ask again with the same orderBy`, argName);
  }
  return { value: body.v as number | string, id: body.i };
}
