import { Global, Module } from '@nestjs/common';
import { DependencyGate } from './dependency-gate.js';

/** The app's one start-up gate (see DependencyGate), for every module of its container. */
@Global()
@Module({ providers: [DependencyGate], exports: [DependencyGate] })
export class StartupModule {}
