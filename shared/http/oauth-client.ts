/** OAuth client credentials of one app (Google's or a tracker's), as stored in Secret Manager. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}
