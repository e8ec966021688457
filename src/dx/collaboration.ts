import { writeInCheck } from '../case-api/writes';
import {
  addAnswer,
  addResults,
  followersReads,
  type KindName,
  type MemberResult,
  onVisibleCase,
  planAdd,
  planRemove,
  relatedCasesReads,
  tagKey,
  tagName,
  tagOfKey,
  tagSuggestionsReads,
  tagsReads,
} from '../domain/collaboration';
import type { Case } from '../domain/model';
import { notFound } from '../errors';
import type { AppContext } from '../http/context';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import { caseLinks } from './hierarchy';
import type { followersSchema, relatedCasesSchema, tagSearchSchema, tagsSchema } from './schemas';

/**
 * Collaboration on a case in DX API v2 (DX case model §5): followers, tags, related cases.
 * Reads come beside the bearer check; each write is one batch with it (domain/collaboration.ts).
 */

const caseIdOf = (c: AppContext) => c.req.param('id') as string;

type OnCaseFound<T> = Found<{ item: Case | null; value: T }>;

export const followersInPath = (c: AppContext) => followersReads(c.env.DB, caseIdOf(c));
export const tagsInPath = (c: AppContext) => tagsReads(c.env.DB, caseIdOf(c));
export const relatedCasesInPath = (c: AppContext) =>
  relatedCasesReads(c.env.DB, caseIdOf(c), c.var.bearer.claims.operator);

/** `GET /cases/{ID}/followers`: the operators following the case. */
export function followersHandler(
  c: AppContext,
  { principal, found }: OnCaseFound<{ ID: string; name: string }[]>,
) {
  const { value } = onVisibleCase(principal, caseIdOf(c), found);
  // Operators carry no e-mail address here: Pega's field is there, empty.
  return c.json({ followers: value.map((user) => ({ ...user, email: '' })) });
}

/** Adds `members` of a kind to the case in the path and answers Pega's results (201 or 207). */
async function addMembersAnswer(
  c: AppContext,
  name: KindName,
  members: string[],
  /** Each result's ID, in the order the request named them: results answer in that order. */
  order: string[],
  idOf: (member: string) => string = (member) => member,
  refused: MemberResult[] = [],
) {
  const caseId = caseIdOf(c);
  const { principal, found } = await writeInCheck(c, 'cases:update', (writer) =>
    planAdd(c.env.DB, writer, name, caseId, members),
  );
  const { value } = onVisibleCase(principal, caseId, found);
  const results = [
    ...refused,
    ...addResults(name, members, value).map((result) => ({ ...result, ID: idOf(result.ID) })),
  ].sort((a, b) => order.indexOf(a.ID) - order.indexOf(b.ID));
  const { status, results: answered } = addAnswer(results);
  return c.json({ results: answered }, status);
}

/** Removes one member of a kind from the case in the path: 200, or 404 where it was not one. */
async function removeMemberAnswer(c: AppContext, name: KindName, member: string, what: string) {
  const caseId = caseIdOf(c);
  const { principal, found } = await writeInCheck(c, 'cases:update', (writer) =>
    planRemove(c.env.DB, writer, name, caseId, member),
  );
  const { value } = onVisibleCase(principal, caseId, found);
  if (!value) throw notFound(what);
  return c.json({});
}

/** `POST /cases/{ID}/followers` with `{users: [{ID}]}`: each operator follows the case. */
export const addFollowersHandler = (
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof followersSchema>, undefined>,
) =>
  addMembersAnswer(
    c,
    'followers',
    body.users.map((user) => user.ID),
    body.users.map((user) => user.ID),
  );

/** `DELETE /cases/{ID}/followers/{userID}`. */
export function removeFollowerHandler(c: AppContext) {
  const user = c.req.param('userId') as string;
  return removeMemberAnswer(c, 'followers', user, `User ${user} does not follow this case.`);
}

/** `GET /cases/{ID}/tags`: `tagsList`, `[]` when none. */
export function tagsHandler(c: AppContext, { principal, found }: OnCaseFound<string[]>) {
  const caseId = caseIdOf(c);
  const { value } = onVisibleCase(principal, caseId, found);
  return c.json({
    tagsList: value.map((name) => ({ tagName: name, tagKey: tagKey(caseId, name) })),
  });
}

/** `POST /cases/{ID}/tags` with `{tags: [{Name}]}`: names lower-cased; re-adding is a no-op. */
export function addTagsHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof tagsSchema>, undefined>,
) {
  const caseId = caseIdOf(c);
  const names: string[] = [];
  const order: string[] = [];
  const refused: MemberResult[] = [];
  for (const { Name } of body.tags) {
    const name = tagName(Name);
    if (name) names.push(name);
    else refused.push({ ID: Name, status: '400', error: `Tag ${Name} is not valid` });
    order.push(name ? tagKey(caseId, name) : Name);
  }
  return addMembersAnswer(c, 'tags', names, order, (name) => tagKey(caseId, name), refused);
}

/** `DELETE /cases/{ID}/tags/{tagKey}`: the key as listed, or the tag's name. */
export function removeTagHandler(c: AppContext) {
  const key = c.req.param('tagKey') as string;
  return removeMemberAnswer(c, 'tags', tagOfKey(key), `Tag ${key} is not on this case.`);
}

/** `GET /tags?searchFor=&listSize=`: known tags starting with `searchFor`. */
export function tagSuggestionsHandler(c: AppContext, { found }: Found<string[]>) {
  return c.json({ tagsList: found.map((name) => ({ tagName: name })) });
}

export const tagSuggestionsInInput = (
  c: AppContext,
  { query }: Input<z.infer<typeof tagSearchSchema>, undefined, undefined>,
) => tagSuggestionsReads(c.env.DB, query.searchFor.toLowerCase(), query.listSize);

/** `GET /cases/{ID}/related_cases`: one the caller may not open is listed by ID and status. */
export function relatedCasesHandler(
  c: AppContext,
  {
    principal,
    found,
  }: OnCaseFound<
    { ID: string; status: string; caseTypeName: string; caseTypeId: string; visible: boolean }[]
  >,
) {
  const { value } = onVisibleCase(principal, caseIdOf(c), found);
  return c.json({
    relatedCases: value.map((related) =>
      related.visible
        ? {
            ID: related.ID,
            name: related.caseTypeName || related.caseTypeId,
            status: related.status,
            caseTypeName: related.caseTypeName,
            links: caseLinks(related.ID),
          }
        : { ID: related.ID, status: related.status },
    ),
  });
}

/** `POST /cases/{ID}/related_cases` with `{cases: [{ID}]}`: each visible case, never itself. */
export function addRelatedCasesHandler(
  c: AppContext,
  { body }: Input<undefined, z.infer<typeof relatedCasesSchema>, undefined>,
) {
  const caseId = caseIdOf(c);
  const ids = body.cases.map((item) => item.ID);
  const self = ids.includes(caseId)
    ? [{ ID: caseId, status: '400' as const, error: 'A case cannot be related to itself' }]
    : [];
  return addMembersAnswer(
    c,
    'relations',
    ids.filter((id) => id !== caseId),
    ids,
    undefined,
    self,
  );
}

/** `DELETE /cases/{ID}/related_cases/{relatedCaseID}`. */
export function removeRelatedCaseHandler(c: AppContext) {
  const related = c.req.param('relatedCaseId') as string;
  return removeMemberAnswer(
    c,
    'relations',
    related,
    `Case ${related} is not related to this case.`,
  );
}
