import { fileURLToPath } from 'node:url';

/** The repository's data-specs/, located from this file (libs/catalog/src → ../../../data-specs). */
export function defaultDataSpecsDirectory(): string {
  return fileURLToPath(new URL('../../../data-specs', import.meta.url));
}
