export class TokenResponse {
  /**
   * EdDSA-signed JWT: send as `Authorization: Bearer <accessToken>`.
   * @example eyJhbGciOiJFZERTQSIsImtpZCI6IjVmM2EifQ.eyJzdWIiOiIyZTQwYjUxOCJ9.c2lnbmF0dXJl
   */
  accessToken!: string;
  /**
   * Opaque; trade it at POST /auth/refresh for new tokens. Works once.
   * @example q3Zk0cX1n7b2Yw5mV9sT4rP8uL6hJ0gF2eD1aC3bB5E
   */
  refreshToken!: string;
  /** @example Bearer */
  tokenType!: 'Bearer';
  /**
   * Seconds until the access token expires.
   * @example 900
   */
  expiresIn!: number;
}
