export class TokenResponse {
  /** EdDSA-signed JWT: send as `Authorization: Bearer <accessToken>`. */
  accessToken!: string;
  /** Opaque; trade it at POST /auth/refresh for new tokens. Works once. */
  refreshToken!: string;
  tokenType!: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn!: number;
}
