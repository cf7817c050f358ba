import * as OTPAuth from 'otpauth';

/**
 * Prints the current TOTP code for a secret, for developers signing in to the demo without an
 * authenticator app: `npm run demo:totp -- <secret printed at start-up>`.
 */
const secret = process.argv[2] ?? process.env.DEMO_TOTP_SECRET;
if (!secret || !/^[A-Z2-7]{16,128}$/.test(secret)) {
  process.stderr.write('usage: npm run demo:totp -- <base32 secret printed by npm start>\n');
  process.exit(2);
}
const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
process.stdout.write(`${totp.generate()}  (valid for ${30 - (Math.floor(Date.now() / 1000) % 30)} more seconds)\n`);
