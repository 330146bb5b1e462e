import { Controller, DynamicModule, Injectable, Module, OnApplicationBootstrap, Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TokenEvents, TokenRevokedData } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { RevocationList } from '../revocation-list';
import { RevokedTokensRepository } from './revoked-tokens.repository';

/** The consumer of `jrp.token.revoked` for one service (one consumer group). */
function revocationHandlerFor(group: string): Type {
  @Controller()
  class TokenRevocationHandler {
    constructor(
      private readonly revocations: RevocationList,
      private readonly revoked: RevokedTokensRepository,
    ) {}

    /** Runs in the inbox transaction, which the repository joins. */
    @ConsumesEvents(TokenEvents.Revoked, group)
    async onRevoked(@Payload() data: TokenRevokedData): Promise<void> {
      await this.revoked.add({
        tokenId: data.tokenId,
        organization: data.organization,
        revokedAt: data.revokedAt,
        expiresAt: data.expiresAt ?? null,
      });
      this.revocations.add(data.tokenId);
    }
  }
  return TokenRevocationHandler;
}

/** Loads the service's known revocations at start. */
@Injectable()
class RevokedTokensLoader implements OnApplicationBootstrap {
  constructor(
    private readonly revoked: RevokedTokensRepository,
    private readonly revocations: RevocationList,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    (await this.revoked.unexpiredIds()).forEach((id) => this.revocations.add(id));
  }
}

/**
 * Token revocation for one service: it consumes `jrp.token.revoked` into its own `revoked_tokens`
 * table and the process's RevocationList, which the guard consults on every request.
 */
@Module({})
export class TokenRevocationModule {
  static forService(options: { group: string; dataSource: string }): DynamicModule {
    return {
      module: TokenRevocationModule,
      controllers: [revocationHandlerFor(options.group)],
      providers: [
        {
          provide: RevokedTokensRepository,
          inject: [getDataSourceToken(options.dataSource)],
          useFactory: (dataSource: DataSource) => new RevokedTokensRepository(dataSource),
        },
        RevokedTokensLoader,
      ],
    };
  }
}
