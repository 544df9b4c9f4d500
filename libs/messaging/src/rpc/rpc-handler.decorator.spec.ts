import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants.js';
import { UsersRpc, type GetUserRequest, type UserResponse } from '@app/contracts';
import { RpcHandler } from './rpc-handler.decorator.js';

declare const user: UserResponse;

class UsersHandlers {
  @RpcHandler(UsersRpc.get)
  get(request: GetUserRequest): Promise<UserResponse> {
    return Promise.resolve({ ...user, id: request.userId });
  }

  // The compiler holds a handler to its definition: these would not build.
  // @ts-expect-error answers a list where the definition answers one user
  @RpcHandler(UsersRpc.get)
  wrongResponse(): Promise<UserResponse[]> {
    return Promise.resolve([user]);
  }

  // @ts-expect-error expects a field the request does not have
  @RpcHandler(UsersRpc.get)
  wrongRequest(request: { orderId: string }): Promise<UserResponse> {
    return Promise.resolve({ ...user, id: request.orderId });
  }
}

describe('@RpcHandler', () => {
  it("registers the method under the definition's name, with the definition for the dispatch to parse with", () => {
    const method = Object.getOwnPropertyDescriptor(UsersHandlers.prototype, 'get')!.value as object;
    expect(Reflect.getMetadata(PATTERN_METADATA, method)).toEqual(['users.get']);
    expect(Reflect.getMetadata(PATTERN_EXTRAS_METADATA, method)).toEqual({ rpcDefinition: UsersRpc.get });
  });
});
