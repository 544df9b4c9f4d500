import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { LoginDto } from '../../auth/dto/login.dto.js';
import { RefreshDto } from '../../auth/dto/refresh.dto.js';
import { RegisterDto } from '../../auth/dto/register.dto.js';
import { RequestValidationError } from '../../errors/request-validation.error.js';
import { GatewayValidationPipe } from '../../http/gateway-validation.pipe.js';
import { ListUsersQuery } from './list-users.query.js';
import { UpdateProfileDto } from './update-profile.dto.js';

const pipe = new GatewayValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });
const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

const register = { email: 'ada@example.com', password: 'correct-horse-1', name: 'Ada' };

/** The fields the pipe refuses `value` with, each once; [] when it accepts it. */
async function refusedFields(value: unknown, metadata: ArgumentMetadata): Promise<string[]> {
  return pipe.transform(value, metadata).then(
    () => [],
    (error: unknown) => {
      expect(error).toBeInstanceOf(RequestValidationError);
      return [...new Set((error as RequestValidationError).fields.map((f) => f.field))];
    },
  );
}

describe('the users and auth DTOs, at the gateway', () => {
  it.each([
    ['a register body', register, body(RegisterDto)],
    [
      'a register body at the bounds',
      { ...register, password: 'p'.repeat(128), name: 'n'.repeat(100) },
      body(RegisterDto),
    ],
    ['a login body', { email: 'anything', password: 'x' }, body(LoginDto)],
    ['a refresh body', { refreshToken: 'q3Zk0cX1n7b2Yw5mV9sT4rP8uL6hJ0gF2eD1aC3bB5E' }, body(RefreshDto)],
    ['an empty profile change', {}, body(UpdateProfileDto)],
    ['a profile change', { name: 'Ada King', email: 'ada.king@example.com' }, body(UpdateProfileDto)],
    ['a users query', { limit: '100', cursor: 'c'.repeat(200) }, query(ListUsersQuery)],
  ])('accepts %s', async (_, value, metadata) => {
    expect(await refusedFields(value, metadata)).toEqual([]);
  });

  it.each([
    ['a register email that is not one', { ...register, email: 'ada' }, body(RegisterDto), 'email'],
    [
      'a 255-character register email',
      { ...register, email: `${'a'.repeat(243)}@example.com` },
      body(RegisterDto),
      'email',
    ],
    ['a 7-character password', { ...register, password: 'p'.repeat(7) }, body(RegisterDto), 'password'],
    ['a 129-character password', { ...register, password: 'p'.repeat(129) }, body(RegisterDto), 'password'],
    ['an empty name', { ...register, name: '' }, body(RegisterDto), 'name'],
    ['a 101-character name', { ...register, name: 'n'.repeat(101) }, body(RegisterDto), 'name'],
    ['a role beside the registration', { ...register, role: 'admin' }, body(RegisterDto), 'role'],
    ['a 129-character login password', { email: 'a@b.co', password: 'p'.repeat(129) }, body(LoginDto), 'password'],
    ['a numeric login email', { email: 5, password: 'x' }, body(LoginDto), 'email'],
    ['an empty refresh token', { refreshToken: '' }, body(RefreshDto), 'refreshToken'],
    ['a 201-character refresh token', { refreshToken: 'x'.repeat(201) }, body(RefreshDto), 'refreshToken'],
    ['a profile email that is not one', { email: 'ada' }, body(UpdateProfileDto), 'email'],
    ['a 101-character profile name', { name: 'n'.repeat(101) }, body(UpdateProfileDto), 'name'],
    ['a user id in the profile change', { userId: 'x' }, body(UpdateProfileDto), 'userId'],
    ['limit 0', { limit: '0' }, query(ListUsersQuery), 'limit'],
    ['limit 101', { limit: '101' }, query(ListUsersQuery), 'limit'],
    ['a 201-character cursor', { cursor: 'c'.repeat(201) }, query(ListUsersQuery), 'cursor'],
  ])('refuses %s, naming the field', async (_, value, metadata, field) => {
    expect(await refusedFields(value, metadata)).toEqual([field]);
  });
});
