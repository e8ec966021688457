/** The audit log as the admin API and the console read it (store/audit.ts writes it beside each change). */
export { listAuditEvents } from '../store/audit';
