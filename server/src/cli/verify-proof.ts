import { readFileSync } from 'node:fs';
import { type InclusionProof, publicKeyId, verifyInclusionProof } from '../domain/checkpoint.ts';

/**
 * Checks a citizen's inclusion proof offline, with nothing but the published public key:
 *   npm run verify-proof -- <proof.json> <public key, base64> [<more keys>…]
 * proof.json is the answer of GET /api/v1/track/{code}/proof. Exit 0: the complaint, with the
 * head shown, is in the signed checkpoint of that day. Compare the checkpoint's root with the one
 * the portal publishes (GET /api/v1/public/checkpoints) or that anyone kept from that day.
 */
function main(): number {
  const [file, ...keys] = process.argv.slice(2);
  if (!file || keys.length === 0) {
    process.stderr.write('usage: npm run verify-proof -- <proof.json> <Ed25519 public key, base64> [...]\n');
    return 2;
  }
  const proof = JSON.parse(readFileSync(file, 'utf8')) as InclusionProof;
  const verdict = verifyInclusionProof(proof, keys);
  const c = proof.checkpoint;
  if (!verdict.valid) {
    process.stdout.write(`NOT VALID (${verdict.reason}); keys given: ${keys.map(publicKeyId).join(', ')}, checkpoint signed by ${c.keyId}\n`);
    return 1;
  }
  process.stdout.write(
    `valid: tracking code ${proof.leaf.trackingCode} (event ${proof.leaf.seq}, head ${proof.leaf.head}) is leaf ${proof.index + 1} of ${c.leafCount} ` +
      `in the checkpoint of ${c.day} (root ${c.root}), signed by ${c.keyId}\n`,
  );
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
