import { base64url } from './secrets';

/**
 * AES-256-GCM under a fresh key that is returned instead of kept: whoever stores the sealed
 * text cannot read it without the key, and whoever holds the key has nothing without it.
 */
export async function seal(plain: string): Promise<{ sealed: string; key: string }> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
  const cipher = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plain)),
  );
  const sealed = new Uint8Array(iv.length + cipher.length);
  sealed.set(iv);
  sealed.set(cipher, iv.length);
  return { sealed: base64url(sealed), key: base64url(raw) };
}

const fromBase64url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));

/** The plain text, or null when the key or the sealed text is not the other's. */
export async function unseal(sealed: string, key: string): Promise<string | null> {
  try {
    const bytes = fromBase64url(sealed);
    const aes = await crypto.subtle.importKey('raw', fromBase64url(key), 'AES-GCM', false, [
      'decrypt',
    ]);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12) },
      aes,
      bytes.slice(12),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
