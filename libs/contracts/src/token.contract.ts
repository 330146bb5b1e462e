import { IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID } from 'class-validator';

/** A token was revoked: every service refuses it from now on. */
export class TokenRevokedData {
  @IsUUID() tokenId: string;
  @IsString() @IsNotEmpty() organization: string;
  @IsISO8601() revokedAt: string;
  /** After this the token is refused by its own expiry; the revocation can be forgotten. */
  @IsOptional() @IsISO8601() expiresAt?: string | null;
}

/** A service saw a token in use (reported at most once a minute per token and process). */
export class TokenUsedData {
  @IsUUID() tokenId: string;
  @IsISO8601() lastUsedAt: string;
  @IsString() service: string;
}
