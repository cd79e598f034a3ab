import { IpcError } from '@myapp/api';
import { commands } from './bindings';

/** What the page shows for `name`: the greeting from C++, or what went wrong. */
export async function greeting(name: string): Promise<string> {
  try {
    return await commands.greet({ name });
  } catch (e) {
    return e instanceof IpcError ? `${e.code}: ${e.message}` : String(e);
  }
}
