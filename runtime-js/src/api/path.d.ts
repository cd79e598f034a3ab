/** The app's data folder ($XDG_DATA_HOME/<identifier>). */
export function appDataDir(): Promise<string>;
/** The same as {@link appDataDir} on Linux. */
export function appLocalDataDir(): Promise<string>;
/** The app's config folder ($XDG_CONFIG_HOME/<identifier>). */
export function appConfigDir(): Promise<string>;
/** The app's cache folder ($XDG_CACHE_HOME/<identifier>). */
export function appCacheDir(): Promise<string>;
/** The app's log folder. */
export function appLogDir(): Promise<string>;
/** The app's state folder ($XDG_STATE_HOME/<identifier>). */
export function appStateDir(): Promise<string>;
/** `/` */
export function sep(): string;
/** `:` */
export function delimiter(): string;
/** `p` with `.`, `..` and repeated separators resolved. */
export function normalize(p: string): Promise<string>;
/** The paths joined with `/`, normalized. */
export function join(...paths: string[]): Promise<string>;
export function dirname(p: string): Promise<string>;
/** The last part of `p`, without `ext` when it ends with it. */
export function basename(p: string, ext?: string): Promise<string>;
/** The extension without its dot; rejects with `path.invalid` when there is none. */
export function extname(p: string): Promise<string>;
export function isAbsolute(p: string): Promise<boolean>;
