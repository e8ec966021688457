import type { DataTypeDefinition } from '../domain/data-type-admin';
import * as z from '../zod';
import {
  caseTypeIdSchema,
  displayName,
  fieldDefinitionSchema,
  fieldNameSchema,
  unique,
} from './schemas';

/** What the admin API takes for a data type (DX case model §0). */

/** A data type's class: like a case type's, its last segment names its data pages. */
const dataTypeObject = z.strictObject({
  ID: caseTypeIdSchema,
  name: displayName,
  description: z.optional(z.string().check(z.maxLength(500))),
  keyField: fieldNameSchema,
  fields: z.array(fieldDefinitionSchema).check(
    z.minLength(1),
    z.maxLength(100),
    unique((field: { name: string }) => field.name, 'names must be unique'),
  ),
});

/** `POST /admin/v1/datatypes`. */
export const dataTypeSchema = dataTypeObject;

/** PUT: the same body; `ID`, if given, must be the one in the path. */
export const dataTypeReplacementSchema = z.partial(dataTypeObject, { ID: true });

/** A body the schema took, as the domain's definition of the type `id`. */
export const dataTypeDefinition = (
  body: Omit<z.infer<typeof dataTypeSchema>, 'ID'>,
  id: string,
): DataTypeDefinition => ({
  id,
  name: body.name,
  description: body.description ?? '',
  keyField: body.keyField,
  fields: body.fields,
});
