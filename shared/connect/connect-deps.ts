import type { Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import type { OAuthClient } from '../http/oauth-client.ts';
import type { Logger } from '../log.ts';
import type { ProviderId } from '../provider-ids.ts';
import type { LinksStore, TrackerLink } from '../stores/links-store.ts';
import type { PersonProfiles } from '../stores/person-profile.ts';
import type { UsersStore } from '../stores/users-store.ts';
import type { TokenCipher } from '../tokens/token-cipher.ts';
import type { ConnectConfig } from './connect-config.ts';
import type { FlowStates } from './flow-states.ts';
import type { GoogleOAuth } from './google/google-oauth.ts';
import type { Jwks } from './google/jwks.ts';
import type { RandomBytes } from './random.ts';
import type { SessionCodec } from './session.ts';
import type { TrackerConnector } from './tracker-connect.ts';

/** First backfills and "import recent workouts", through the same jobs `fitsync link` queues. */
export interface ConnectBackfill {
  canImport(provider: ProviderId): boolean;
  /**
   * Queues the last BACKFILL_ON_LINK_DAYS days of this person's accounts at this tracker, or everything since
   * `brokenSinceMs` when that is longer (backfill/link-window.ts); the job ids.
   */
  request(userId: string, provider: ProviderId, brokenSinceMs?: number): Promise<string[]>;
}

/** Everything the connect handlers use; built once per instance by functions/compose-connect.ts. */
export interface ConnectDeps {
  config: ConnectConfig;
  clock: Clock;
  log: Logger;
  random: RandomBytes;
  db: Firestore;
  sessions: SessionCodec;
  flows: FlowStates;
  google: GoogleOAuth;
  jwks: Jwks;
  googleClient: () => Promise<OAuthClient>;
  trackers: ReadonlyMap<ProviderId, TrackerConnector>;
  trackerClient(connector: TrackerConnector): Promise<OAuthClient>;
  users: UsersStore;
  profiles: PersonProfiles;
  links: LinksStore;
  cipher: TokenCipher;
  backfill: ConnectBackfill;
  /** A current access token for a link (refreshed and stored when the tracker has a refresh grant). */
  freshAccessToken(link: TrackerLink): Promise<string>;
}
