/** `LIKE` pattern for text that contains `text`, with its wildcards escaped (`ESCAPE '\\'`). */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
