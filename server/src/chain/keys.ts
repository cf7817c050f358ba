import type { Config } from '../config.ts';
import { type SigningKey, signingKey } from '../domain/checkpoint.ts';
import { type ChainKeyring, chainKeyring } from '../domain/hash-chain.ts';

/** The chain keyring from config: CHAIN_KEY makes new links, CHAIN_PREVIOUS_KEYS still verify old ones. */
export function chainKeysFromConfig(config: Pick<Config, 'chainKey' | 'chainPreviousKeys' | 'chainUnkeyedBefore'>): ChainKeyring {
  return chainKeyring(config.chainKey, config.chainPreviousKeys, config.chainUnkeyedBefore);
}

/** The checkpoint signing key and every public key a published checkpoint may be verified with (current first). */
export function checkpointKeysFromConfig(config: Pick<Config, 'checkpointSigningKey' | 'checkpointPreviousPublicKeys'>): {
  signing: SigningKey;
  publicKeys: string[];
} {
  const signing = signingKey(config.checkpointSigningKey);
  return { signing, publicKeys: [signing.publicKey, ...config.checkpointPreviousPublicKeys.filter((k) => k !== signing.publicKey)] };
}
