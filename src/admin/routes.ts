import { type Audience, operation } from '../http/operations';
import { listAuditHandler } from './audit';
import { adminAuth } from './auth';
import {
  createCaseTypeHandler,
  getCaseTypeHandler,
  listCaseTypesHandler,
  replaceCaseTypeHandler,
} from './casetypes';
import {
  deleteClientHandler,
  getClientHandler,
  listClientsHandler,
  regenerateSecretHandler,
  registerClientHandler,
  revokeTokensHandler,
  updateClientHandler,
} from './clients';
import { dataTypeReplacementSchema, dataTypeSchema } from './datatype-schemas';
import {
  createDataTypeHandler,
  getDataTypeHandler,
  listDataTypesHandler,
  replaceDataTypeHandler,
} from './datatypes';
import {
  createOperatorHandler,
  deleteOperatorHandler,
  getOperatorHandler,
  listOperatorsHandler,
  updateOperatorHandler,
} from './operators';
import {
  caseTypeReplacementSchema,
  caseTypeSchema,
  createOperatorSchema,
  regenerateSecretSchema,
  registerClientSchema,
  updateClientSchema,
  updateOperatorSchema,
} from './schemas';

/** The admin API, at /admin/v1, behind the admin token (admin/auth.ts). */
export const adminApi: Audience = {
  name: 'admin',
  bases: ['/admin/v1'],
  // Every path under /admin/v1 needs the admin token, one that routes nowhere included.
  before: adminAuth,
  guard: () => undefined,
  operations: [
    operation({
      id: 'createOperator',
      method: 'post',
      path: '/operators',
      caller: 'admin',
      body: { schema: createOperatorSchema, required: true },
      handler: createOperatorHandler,
    }),
    operation({
      id: 'listOperators',
      method: 'get',
      path: '/operators',
      caller: 'admin',
      handler: listOperatorsHandler,
    }),
    operation({
      id: 'getOperator',
      method: 'get',
      path: '/operators/{ID}',
      caller: 'admin',
      handler: getOperatorHandler,
    }),
    operation({
      id: 'updateOperator',
      method: 'patch',
      path: '/operators/{ID}',
      caller: 'admin',
      body: { schema: updateOperatorSchema, required: true },
      handler: updateOperatorHandler,
    }),
    operation({
      id: 'deleteOperator',
      method: 'delete',
      path: '/operators/{ID}',
      caller: 'admin',
      handler: deleteOperatorHandler,
    }),
    operation({
      id: 'registerClient',
      method: 'post',
      path: '/clients',
      caller: 'admin',
      body: { schema: registerClientSchema, required: true },
      handler: registerClientHandler,
    }),
    operation({
      id: 'listClients',
      method: 'get',
      path: '/clients',
      caller: 'admin',
      handler: listClientsHandler,
    }),
    operation({
      id: 'getClient',
      method: 'get',
      path: '/clients/{ID}',
      caller: 'admin',
      handler: getClientHandler,
    }),
    operation({
      id: 'updateClient',
      method: 'patch',
      path: '/clients/{ID}',
      caller: 'admin',
      body: { schema: updateClientSchema, required: true },
      handler: updateClientHandler,
    }),
    operation({
      id: 'deleteClient',
      method: 'delete',
      path: '/clients/{ID}',
      caller: 'admin',
      handler: deleteClientHandler,
    }),
    operation({
      id: 'regenerateSecret',
      method: 'post',
      path: '/clients/{ID}/secret',
      caller: 'admin',
      body: { schema: regenerateSecretSchema, required: false },
      handler: regenerateSecretHandler,
    }),
    operation({
      id: 'revokeTokens',
      method: 'post',
      path: '/clients/{ID}/revoke-tokens',
      caller: 'admin',
      handler: revokeTokensHandler,
    }),
    operation({
      id: 'createCaseType',
      method: 'post',
      path: '/casetypes',
      caller: 'admin',
      body: { schema: caseTypeSchema, required: true },
      handler: createCaseTypeHandler,
    }),
    operation({
      id: 'listCaseTypes',
      method: 'get',
      path: '/casetypes',
      caller: 'admin',
      handler: listCaseTypesHandler,
    }),
    operation({
      id: 'getCaseType',
      method: 'get',
      path: '/casetypes/{ID}',
      caller: 'admin',
      handler: getCaseTypeHandler,
    }),
    operation({
      id: 'replaceCaseType',
      method: 'put',
      path: '/casetypes/{ID}',
      caller: 'admin',
      body: { schema: caseTypeReplacementSchema, required: true },
      handler: replaceCaseTypeHandler,
    }),
    operation({
      id: 'createDataType',
      method: 'post',
      path: '/datatypes',
      caller: 'admin',
      body: { schema: dataTypeSchema, required: true },
      handler: createDataTypeHandler,
    }),
    operation({
      id: 'listDataTypes',
      method: 'get',
      path: '/datatypes',
      caller: 'admin',
      handler: listDataTypesHandler,
    }),
    operation({
      id: 'getDataType',
      method: 'get',
      path: '/datatypes/{ID}',
      caller: 'admin',
      handler: getDataTypeHandler,
    }),
    operation({
      id: 'replaceDataType',
      method: 'put',
      path: '/datatypes/{ID}',
      caller: 'admin',
      body: { schema: dataTypeReplacementSchema, required: true },
      handler: replaceDataTypeHandler,
    }),
    operation({
      id: 'listAudit',
      method: 'get',
      path: '/audit',
      caller: 'admin',
      handler: listAuditHandler,
    }),
  ],
};
