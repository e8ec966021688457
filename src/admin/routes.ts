import type { Audience } from '../http/operations';
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

const json = { type: 'application/json', required: true } as const;

/** The admin API, at /admin/v1, behind the admin token (admin/auth.ts). */
export const adminApi: Audience = {
  name: 'admin',
  bases: ['/admin/v1'],
  // Every path under /admin/v1 needs the admin token, one that routes nowhere included.
  before: adminAuth,
  guard: () => undefined,
  operations: [
    {
      id: 'createOperator',
      method: 'post',
      path: '/operators',
      caller: 'admin',
      body: { ...json, schema: createOperatorSchema },
      handler: createOperatorHandler,
    },
    {
      id: 'listOperators',
      method: 'get',
      path: '/operators',
      caller: 'admin',
      handler: listOperatorsHandler,
    },
    {
      id: 'getOperator',
      method: 'get',
      path: '/operators/{ID}',
      caller: 'admin',
      handler: getOperatorHandler,
    },
    {
      id: 'updateOperator',
      method: 'patch',
      path: '/operators/{ID}',
      caller: 'admin',
      body: { ...json, schema: updateOperatorSchema },
      handler: updateOperatorHandler,
    },
    {
      id: 'deleteOperator',
      method: 'delete',
      path: '/operators/{ID}',
      caller: 'admin',
      handler: deleteOperatorHandler,
    },
    {
      id: 'registerClient',
      method: 'post',
      path: '/clients',
      caller: 'admin',
      body: { ...json, schema: registerClientSchema },
      handler: registerClientHandler,
    },
    {
      id: 'listClients',
      method: 'get',
      path: '/clients',
      caller: 'admin',
      handler: listClientsHandler,
    },
    {
      id: 'getClient',
      method: 'get',
      path: '/clients/{ID}',
      caller: 'admin',
      handler: getClientHandler,
    },
    {
      id: 'updateClient',
      method: 'patch',
      path: '/clients/{ID}',
      caller: 'admin',
      body: { ...json, schema: updateClientSchema },
      handler: updateClientHandler,
    },
    {
      id: 'deleteClient',
      method: 'delete',
      path: '/clients/{ID}',
      caller: 'admin',
      handler: deleteClientHandler,
    },
    {
      id: 'regenerateSecret',
      method: 'post',
      path: '/clients/{ID}/secret',
      caller: 'admin',
      body: { type: 'application/json', schema: regenerateSecretSchema, required: false },
      handler: regenerateSecretHandler,
    },
    {
      id: 'revokeTokens',
      method: 'post',
      path: '/clients/{ID}/revoke-tokens',
      caller: 'admin',
      handler: revokeTokensHandler,
    },
    {
      id: 'createCaseType',
      method: 'post',
      path: '/casetypes',
      caller: 'admin',
      body: { ...json, schema: caseTypeSchema },
      handler: createCaseTypeHandler,
    },
    {
      id: 'listCaseTypes',
      method: 'get',
      path: '/casetypes',
      caller: 'admin',
      handler: listCaseTypesHandler,
    },
    {
      id: 'getCaseType',
      method: 'get',
      path: '/casetypes/{ID}',
      caller: 'admin',
      handler: getCaseTypeHandler,
    },
    {
      id: 'replaceCaseType',
      method: 'put',
      path: '/casetypes/{ID}',
      caller: 'admin',
      body: { ...json, schema: caseTypeReplacementSchema },
      handler: replaceCaseTypeHandler,
    },
    { id: 'listAudit', method: 'get', path: '/audit', caller: 'admin', handler: listAuditHandler },
  ],
};
