import { fileURLToPath } from 'node:url';
import type { RpcService } from '@app/contracts';
import { grpcNamesOf } from './proto-source.js';

/**
 * Where a service's committed `.proto` lives: libs/contracts/proto/<package>.proto, found from
 * this module, which sits at the same depth in the sources and in an app's dist/ (the build
 * copies libs/contracts/proto beside the compiled libraries).
 */
export function protoPathOf(service: RpcService): string {
  return fileURLToPath(
    new URL(`../../../../contracts/proto/${grpcNamesOf(service).packageName}.proto`, import.meta.url),
  );
}
