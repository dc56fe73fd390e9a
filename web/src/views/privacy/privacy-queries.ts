/**
 * The GraphQL operations of the personal-data views and the shapes of their answers, in the
 * schema's words (schema.graphql, "Personal data"). Each view sends one of these; the
 * subject identifier only ever travels as a variable in a POST body (never in a URL).
 */

export type SpecialCategory =
  | 'RACIAL_OR_ETHNIC_ORIGIN' | 'POLITICAL_OPINIONS' | 'RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS' | 'TRADE_UNION_MEMBERSHIP'
  | 'GENETIC' | 'BIOMETRIC' | 'HEALTH' | 'SEX_LIFE_OR_ORIENTATION';

export const SPECIAL_CATEGORIES: readonly SpecialCategory[] = [
  'RACIAL_OR_ETHNIC_ORIGIN', 'POLITICAL_OPINIONS', 'RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS', 'TRADE_UNION_MEMBERSHIP',
  'GENETIC', 'BIOMETRIC', 'HEALTH', 'SEX_LIFE_OR_ORIENTATION',
];

export type ErasureStatus = 'PENDING' | 'ERASED' | 'RETRAINED' | 'EXEMPT';
/** What an operator may set: PENDING is where every item starts, never where one returns. */
export const SETTABLE_STATUSES: readonly ErasureStatus[] = ['ERASED', 'RETRAINED', 'EXEMPT'];

export interface NamedArtifact { id: string; name: string | null; uri?: string | null; type: { name: string; baseType?: string | null } }
export interface PageInfo { hasNextPage: boolean; endCursor: string | null }

// ---- Data subject ----

export const SUBJECT_QUERY = /* GraphQL */ `
  query DataSubjectLineage($subjectId: String!) {
    dataSubjectLineage(subjectId: $subjectId) {
      found truncated
      sources { id }
      affected {
        distance categories specialCategories pseudonymized route
        artifact { id name uri type { name baseType } }
      }
      models { artifact { id } }
      executions {
        id name type { name } privacy { transform }
        inputs { artifact { id } }
        outputs { artifact { id } }
      }
      contexts { id name type { name } }
      anonymizedBoundary { id name type { name } }
    }
  }
`;

export interface AffectedArtifactData {
  distance: number;
  categories: string[];
  specialCategories: SpecialCategory[];
  pseudonymized: boolean;
  route: string[];
  artifact: NamedArtifact;
}
export interface SubjectExecution {
  id: string;
  name: string | null;
  type: { name: string };
  privacy: { transform: string } | null;
  inputs: { artifact: { id: string } }[];
  outputs: { artifact: { id: string } }[];
}
export interface DataSubjectReport {
  found: boolean;
  truncated: boolean;
  sources: { id: string }[];
  affected: AffectedArtifactData[];
  models: { artifact: { id: string } }[];
  executions: SubjectExecution[];
  contexts: { id: string; name: string | null; type: { name: string } }[];
  anonymizedBoundary: NamedArtifact[];
}
export interface SubjectData { dataSubjectLineage: DataSubjectReport }

export const ACCESS_REPORT_QUERY = /* GraphQL */ `
  query AccessReport($subjectId: String!, $format: ReportFormat) {
    accessReport(subjectId: $subjectId, format: $format)
  }
`;
export type ReportFormat = 'JSON' | 'MARKDOWN';

// ---- Inventory ----

export const INVENTORY_QUERY = /* GraphQL */ `
  query PersonalDataInventory($category: String, $specialCategory: SpecialCategory, $first: Int, $after: String) {
    personalDataInventory(category: $category, specialCategory: $specialCategory, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id name uri type { name }
        personalData { categories specialCategories declared pseudonymized }
      }
    }
  }
`;
export interface InventoryArtifact extends NamedArtifact {
  personalData: { categories: string[]; specialCategories: SpecialCategory[]; declared: boolean; pseudonymized: boolean } | null;
}
export interface InventoryData {
  personalDataInventory: { totalCount: number; pageInfo: PageInfo; nodes: InventoryArtifact[] };
}

// ---- Erasure ----

const REQUEST_SUMMARY = `id createdAt reason complete
  progress { total pending erased retrained exempt }
  notCovered { id name type { name } }`;

const REQUEST_FIELDS = `${REQUEST_SUMMARY}
  items { status note updatedAt artifact { id name type { name baseType } } }`;

export const ERASURE_LIST_QUERY = /* GraphQL */ `
  query ErasureRequests($first: Int, $after: String) {
    erasureRequests(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ${REQUEST_SUMMARY} }
    }
  }
`;

export const ERASURE_REQUEST_QUERY = /* GraphQL */ `
  query ErasureRequest($id: ID!) {
    erasureRequest(id: $id) { ${REQUEST_FIELDS} }
  }
`;

export const REQUEST_ERASURE_MUTATION = /* GraphQL */ `
  mutation RequestErasure($subjectId: String!, $reason: String) {
    requestErasure(subjectId: $subjectId, reason: $reason) { ${REQUEST_SUMMARY} }
  }
`;

export const UPDATE_ITEM_MUTATION = /* GraphQL */ `
  mutation UpdateErasureItem($requestId: ID!, $artifactId: ID!, $status: ErasureStatus!, $note: String) {
    updateErasureItem(requestId: $requestId, artifactId: $artifactId, status: $status, note: $note) { ${REQUEST_FIELDS} }
  }
`;

export interface ErasureProgress { total: number; pending: number; erased: number; retrained: number; exempt: number }
export interface ErasureSummary {
  id: string;
  createdAt: string;
  reason: string | null;
  complete: boolean;
  progress: ErasureProgress;
  notCovered: NamedArtifact[];
}
export interface ErasureItemData { status: ErasureStatus; note: string | null; updatedAt: string; artifact: NamedArtifact }
export interface ErasureRequestData extends ErasureSummary { items: ErasureItemData[] }

export interface ErasureListData { erasureRequests: { pageInfo: PageInfo; nodes: ErasureSummary[] } }
export interface ErasureRequestAnswer { erasureRequest: ErasureRequestData | null }

// ---- Audit log ----

export const AUDIT_QUERY = /* GraphQL */ `
  query AuditLog($first: Int, $after: String) {
    auditLog(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id time caller operation subjectHash target resultCount before after }
    }
  }
`;
export interface AuditEntryData {
  id: string;
  time: string;
  caller: string;
  operation: string;
  subjectHash: string | null;
  target: string | null;
  resultCount: number;
  before: unknown;
  after: unknown;
}
export interface AuditData { auditLog: { pageInfo: PageInfo; nodes: AuditEntryData[] } }

/** An artifact's name as shown: its name, else its id (names are optional in ML Metadata). */
export const nameOf = (a: { id: string; name: string | null }): string => a.name ?? a.id;

/** A special category as people read it: HEALTH → health. */
export const specialLabel = (s: string): string => s.toLowerCase().replace(/_/g, ' ');

/** A server DateTime as people scan it in a table: 2026-01-31 12:00:05 (UTC; the full value is the cell's title). */
export const whenOf = (iso: string): string => iso.replace('T', ' ').slice(0, 19);
