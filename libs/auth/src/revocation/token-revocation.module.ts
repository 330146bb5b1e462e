import { Controller, DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TokenEvents, TokenRevokedData } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';
import { RevocationList } from '../revocation-list';

const DATA_SOURCE = Symbol('revocation data source');

/** The consumer of `jrp.token.revoked` for one service (one consumer group). */
function revocationHandlerFor(group: string): Type {
  @Controller()
  class TokenRevocationHandler {
    constructor(private readonly revocations: RevocationList) {}

    @ConsumesEvents(TokenEvents.Revoked, group)
    async onRevoked(@Payload() data: TokenRevokedData, @Ctx() { manager }: ConsumerContext): Promise<void> {
      await manager.query(
        `INSERT INTO revoked_tokens (token_id, organization, revoked_at, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [data.tokenId, data.organization, data.revokedAt, data.expiresAt ?? null],
      );
      this.revocations.add(data.tokenId);
    }
  }
  return TokenRevocationHandler;
}

/** Loads the service's known revocations at start. */
@Injectable()
class RevokedTokensLoader implements OnApplicationBootstrap {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly revocations: RevocationList,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows: { token_id: string }[] = await this.dataSource.query(
      `SELECT token_id FROM revoked_tokens WHERE expires_at IS NULL OR expires_at > now()`,
    );
    rows.forEach((r) => this.revocations.add(r.token_id));
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
      providers: [{ provide: DATA_SOURCE, useExisting: getDataSourceToken(options.dataSource) }, RevokedTokensLoader],
    };
  }
}
