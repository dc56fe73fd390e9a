/**
 * One pass over an operation, before any field runs, with the argument values it will
 * really run with (variables coerced, schema and service defaults applied): every
 * ranged argument (src/service/argument-ranges.ts, the table the services check too) is
 * checked wherever it sits, and the cost estimate prices each page by its real `first`.
 * A validation rule cannot do this: it sees the document, not the variables, so
 * `first: $n` would price as 1 and `upstream(maxNodes: $m)` would fail only after a
 * mutation's root field had committed.
 */
import {
  getArgumentValues, getNamedType, getOperationAST, getVariableValues, GraphQLError, isCompositeType, isInterfaceType,
  isObjectType, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ArgumentRanges, RangedArgument } from '../service/shared/argument-ranges.js';
import { intArgument } from '../service/shared/argument-ranges.js';
import { requireMlmdId } from '../service/shared/validate.js';
import { toClientError } from './error-codes.js';

/**
 * How the estimate weighs an operation: 1 per scalar field and 2 per object field, each
 * nesting level weighing `depthFactor` times more, and a paged field multiplied by the
 * `first` it runs with. Lists without `first` (an artifact's events, a lineage answer's
 * nodes) count once: their size is bounded at run time by the lineage ceilings, the
 * response ceiling and the operation's time budget, not here.
 */
export interface CostModel {
  maxCost: number;
  depthFactor: number;
}

const SCALAR_COST = 1;
/** The scalar of ML Metadata ids (schema.graphql), whose arguments are checked here. */
const MLMD_ID_SCALAR = 'MlmdId';
const OBJECT_COST = 2;
/** Introspection is priced at nothing (it reads the schema, never the store) and limited by depth. */
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

interface Pass {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Each named fragment's cost, once computed. */
  fragmentCosts: Map<string, number>;
  variables: Record<string, unknown>;
  ranges: ArgumentRanges;
  depthFactor: number;
}

/** The cost of `selectionSet` on `type`; throws the client error of the first argument out of range. */
function selectionCost(pass: Pass, type: GraphQLCompositeType, selectionSet: SelectionSetNode, visiting: Set<string>): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(pass, type, selection, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? pass.schema.getType(selection.typeCondition.name.value) : type;
      if (condition && isCompositeType(condition)) cost += selectionCost(pass, condition, selection.selectionSet, visiting);
    } else {
      // A named fragment counts as if written inline (its fields run as often as that),
      // priced once per operation: its cost does not depend on where it is spread, and a
      // fragment spreading another twice, twenty deep, must not cost the server 2^20 walks.
      const name = selection.name.value;
      const fragment = pass.fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      let fragmentCost = pass.fragmentCosts.get(name);
      if (fragmentCost === undefined) {
        const condition = pass.schema.getType(fragment.typeCondition.name.value);
        fragmentCost = condition && isCompositeType(condition)
          ? selectionCost(pass, condition, fragment.selectionSet, new Set(visiting).add(name))
          : 0;
        pass.fragmentCosts.set(name, fragmentCost);
      }
      cost += fragmentCost;
    }
  }
  return cost;
}

function fieldCost(pass: Pass, parent: GraphQLCompositeType, node: FieldNode, visiting: Set<string>): number {
  const name = node.name.value;
  if (INTROSPECTION_FIELDS.has(name)) return 0;
  const field: GraphQLField<unknown, unknown> | undefined = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  if (!field) return SCALAR_COST; // __typename, or a field validation already refused
  const args = getArgumentValues(field, node, pass.variables);
  let multiplier = 1;
  for (const arg of field.args) {
    // The MlmdId scalar keeps what it was sent, so a bad id is refused here naming its argument.
    if (getNamedType(arg.type).name === MLMD_ID_SCALAR && args[arg.name] !== undefined && args[arg.name] !== null) {
      requireMlmdId(args[arg.name], arg.name);
    }
    const range = pass.ranges[arg.name as RangedArgument];
    if (!range || getNamedType(arg.type).name !== 'Int') continue;
    const value = args[arg.name];
    if (value !== undefined && value !== null) intArgument(value, arg.name, range);
    if (arg.name === 'first') multiplier = intArgument(value, arg.name, range);
  }
  if (!node.selectionSet) return SCALAR_COST;
  const type = getNamedType(field.type);
  if (!isCompositeType(type)) return SCALAR_COST;
  return (OBJECT_COST + pass.depthFactor * selectionCost(pass, type, node.selectionSet, visiting)) * multiplier;
}

/**
 * The refusal of an operation, or undefined when it may run. Operations graphql-js will
 * refuse itself (unknown operation, variables that do not coerce) are left to it.
 */
export function checkOperation(
  schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined, ranges: ArgumentRanges, cost: CostModel,
): Error | undefined {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const pass: Pass = { schema, fragments, fragmentCosts: new Map(), variables: coerced.coerced, ranges, depthFactor: cost.depthFactor };
  let found: number;
  try {
    found = selectionCost(pass, root, operation.selectionSet, new Set());
  } catch (error) {
    return toClientError(error);
  }
  if (found > cost.maxCost) {
    return new GraphQLError(`Query Cost limit of ${cost.maxCost} exceeded, found ${Math.round(found * 100) / 100}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return undefined;
}

/** Refuses, before any resolver runs, an operation with an argument out of range or over the cost limit. */
export function useOperationCheck(ranges: ArgumentRanges, cost: CostModel): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = checkOperation(args.schema, args.document, args.operationName,
        args.variableValues as Record<string, unknown> | null | undefined, ranges, cost);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}
