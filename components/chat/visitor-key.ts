/** Keys made where the browser keeps no storage for the page (a frame on another site may have none). */
const unkept = new Map<string, string>();

/** The random key this browser keeps for a public chat: its conversations are the ones made with it. */
export function visitorKey(chatId: string): string {
  const name = `flowdeck.chat.${chatId}.visitor`;
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
    const kept = storage.getItem(name);
    if (kept) return kept;
  } catch {
    storage = null;
  }
  const made = unkept.get(name) ?? newKey();
  unkept.set(name, made);
  try {
    storage?.setItem(name, made);
    if (storage) unkept.delete(name);
  } catch {
    // Kept for this page only: a reload starts with no conversations.
  }
  return made;
}

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
