import { lastSegment, recordListViewId, typeOfListView } from './data-types';
import { defaultFlow } from './flow';
import { type CaseType, type DataType, type FieldDefinition, isSystemName } from './model';

// The query language of the views (data-view-query.ts), for their callers.
export {
  COMPARATORS,
  type Comparator,
  type Condition,
  type Filter,
  MAX_LOGIC_TERMS,
  parseQuery,
  type Query,
  type QueryRequest,
  type Value,
} from './data-view-query';

/**
 * Data views: named, read-only lists a client queries (Pega's `D_...` data pages). Each has
 * fixed fields; a query names only those (an allowlist), and every value it sends is bound,
 * never written into SQL. What each view reads is store/data-views.ts's.
 */

export type ViewFieldType = 'text' | 'number' | 'boolean' | 'date' | 'datetime';

export interface ViewField {
  name: string;
  type: ViewFieldType;
  label: string;
  /**
   * Where the value is: a column of the view's rows (with the text it takes where the row has
   * none), or a case type field in the content.
   */
  source: { column: string; otherwise?: string } | { content: string };
}

export type ViewSource =
  | { kind: 'worklist' }
  | { kind: 'cases'; caseTypeId: string }
  | { kind: 'followed' }
  | { kind: 'records'; dataTypeId: string };

export interface QueryableView {
  id: string;
  label: string;
  source: ViewSource;
  fields: ViewField[];
}

export const WORKLIST_VIEW = 'D_pyMyWorkList';

/** The cases the caller follows (DX case model §5). */
export const FOLLOWED_VIEW = 'D_pyFollowedCases';

const column = (name: string, type: ViewFieldType, label: string, col = name): ViewField => ({
  name,
  type,
  label,
  source: { column: col },
});

const DEFAULT_STEP = defaultFlow([])[0] as { name: string; instructions: string };

/** The caller's open assignments, most urgent first, then oldest. */
const worklistView: QueryableView = {
  id: WORKLIST_VIEW,
  label: 'My worklist',
  source: { kind: 'worklist' },
  fields: [
    column('pzInsKey', 'text', 'Assignment ID'),
    column('pxRefObjectKey', 'text', 'Case ID'),
    column('pxRefObjectInsName', 'text', 'Case number'),
    column('pyLabel', 'text', 'Case type'),
    // A case type without a flow of its own works through the default flow's one step.
    {
      ...column('pxTaskLabel', 'text', 'Step'),
      source: { column: 'pxTaskLabel', otherwise: DEFAULT_STEP.name },
    },
    {
      ...column('pyInstructions', 'text', 'Instructions'),
      source: { column: 'pyInstructions', otherwise: DEFAULT_STEP.instructions },
    },
    column('pxUrgencyAssign', 'number', 'Urgency'),
    column('pyAssignmentStatus', 'text', 'Case status'),
    column('pxAssignedOperatorID', 'text', 'Assigned to'),
    column('pxCreateDateTime', 'datetime', 'Assigned'),
  ],
};

const FIELD_TYPES: Record<FieldDefinition['type'], ViewFieldType> = {
  string: 'text',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
};

/** A case's own columns, as case lists and the followed cases show them. */
const CASE_FIELDS: ViewField[] = [
  column('pzInsKey', 'text', 'Case ID'),
  column('pyID', 'text', 'Case number'),
  column('pyLabel', 'text', 'Case type'),
  column('pyStatusWork', 'text', 'Status'),
  column('pxUrgencyWork', 'number', 'Urgency'),
  column('pxCreateDateTime', 'datetime', 'Created'),
  column('pxCreateOperator', 'text', 'Created by'),
  column('pxUpdateDateTime', 'datetime', 'Updated'),
];

/** The cases the caller follows and may still see, newest first. */
const followedView: QueryableView = {
  id: FOLLOWED_VIEW,
  label: 'Followed cases',
  source: { kind: 'followed' },
  fields: CASE_FIELDS,
};

/** `Cnow-connectnow-Work-CityServicesRequest` → `D_CityServicesRequestList`. */
export const caseListViewId = (caseTypeId: string) => `D_${lastSegment(caseTypeId)}List`;

/** The cases of a type the caller may see, newest first, with the type's fields. */
export function caseListView(caseType: CaseType): QueryableView {
  return {
    id: caseListViewId(caseType.id),
    label: `${caseType.name} cases`,
    source: { kind: 'cases', caseTypeId: caseType.id },
    fields: [
      ...CASE_FIELDS,
      // A field defined before system names were refused never shadows a system column.
      ...contentFields(caseType.fields),
    ],
  };
}

/** A type's own fields as a view's, read from the content; never one shadowing a system name. */
const contentFields = (fields: FieldDefinition[]): ViewField[] =>
  fields
    .filter(({ name }) => !isSystemName(name))
    .map((field) => ({
      name: field.name,
      type: FIELD_TYPES[field.type],
      label: field.label ?? field.name,
      source: { content: field.name },
    }));

/** A data type's records, in key order, with its fields (the key field among them). */
export function recordListView(type: DataType): QueryableView {
  return {
    id: recordListViewId(type),
    label: `${type.name} records`,
    source: { kind: 'records', dataTypeId: type.id },
    fields: contentFields(type.fields),
  };
}

/**
 * The view an ID names, among the worklist, the followed cases, the case types' lists and the
 * data types'; undefined if none. Of two types whose classes end alike, a case type has the
 * name before a data type, and of two alike the one whose ID sorts first.
 */
export function findView(
  id: string,
  caseTypes: Iterable<CaseType>,
  dataTypes: Iterable<DataType> = [],
): QueryableView | undefined {
  if (id === WORKLIST_VIEW) return worklistView;
  if (id === FOLLOWED_VIEW) return followedView;
  const caseList = findCaseList(id, caseTypes);
  if (caseList) return caseList;
  const type = typeOfListView(dataTypes, id);
  return type && recordListView(type);
}

function findCaseList(id: string, caseTypes: Iterable<CaseType>): QueryableView | undefined {
  const [first] = [...caseTypes]
    .filter((caseType) => caseListViewId(caseType.id) === id)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return first && caseListView(first);
}

/** Whether an ID could name a case type's list (so its case types are worth reading). */
export const mayBeCaseList = (id: string) => /^D_[A-Za-z0-9_]+List$/.test(id);

// What handlers read and write through this module, as store/ has it (docs/architecture.md:
// no handler imports store/).
export { dataViewCountRead, dataViewRowsRead } from '../store/data-views';
