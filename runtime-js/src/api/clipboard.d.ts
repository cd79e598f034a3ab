/** Resolves with the clipboard's text, or null when it holds no text. */
export function readText(): Promise<string | null>;
export function writeText(text: string): Promise<void>;
export function clear(): Promise<void>;
