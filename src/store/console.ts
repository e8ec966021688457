/**
 * The console's KV records: signed-in sessions (`session:<SHA-256 of the cookie's ID>`) and
 * secrets waiting to be shown once (`reveal:<SHA-256 of the ticket's ID>`). KV keeps no ID a
 * browser holds, only hashes of them.
 */
import { sha256Hex } from '../crypto/secrets';

export interface SessionRecord {
  actor: string;
  /** Unix seconds: the session ends a fixed time after this, however busy. */
  createdAt: number;
  refreshedAt: number;
  /** SHA-256 of the ADMIN_TOKEN it was opened with: a rotated token ends it. */
  adminTokenHash: string;
}

const sessionKey = async (id: string) => `session:${await sha256Hex(id)}`;
const revealKey = async (id: string) => `reveal:${await sha256Hex(id)}`;

export async function putSession(
  kv: KVNamespace,
  id: string,
  record: SessionRecord,
  ttlSeconds: number,
): Promise<void> {
  await kv.put(await sessionKey(id), JSON.stringify(record), { expirationTtl: ttlSeconds });
}

export async function getSession(kv: KVNamespace, id: string): Promise<SessionRecord | null> {
  return kv.get<SessionRecord>(await sessionKey(id), 'json');
}

export async function deleteSession(kv: KVNamespace, id: string): Promise<void> {
  await kv.delete(await sessionKey(id));
}

/** A sealed secret for client `clientId`, kept for the shortest time KV allows (60 s). */
export async function putReveal(
  kv: KVNamespace,
  id: string,
  record: { clientId: string; sealed: string },
): Promise<void> {
  await kv.put(await revealKey(id), JSON.stringify(record), { expirationTtl: 60 });
}

/** Takes the sealed secret out: it can be read once. */
export async function takeReveal(
  kv: KVNamespace,
  id: string,
): Promise<{ clientId: string; sealed: string } | null> {
  const key = await revealKey(id);
  const record = await kv.get<{ clientId: string; sealed: string }>(key, 'json');
  if (record) await kv.delete(key);
  return record;
}
