import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import type { PasswordHasher } from '../application/index.js';

/** OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
const PARAMETERS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class Argon2PasswordHasher implements PasswordHasher, OnModuleInit {
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await argon2.hash('not a real password, only spends time', PARAMETERS);
  }

  hash(plain: string): Promise<string> {
    return argon2.hash(plain, PARAMETERS);
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, PARAMETERS);
  }

  async verify(hash: string | null, plain: string): Promise<boolean> {
    const matches = await argon2.verify(hash ?? this.dummyHash, plain).catch(() => false);
    return hash !== null && matches;
  }
}
