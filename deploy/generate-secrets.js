#!/usr/bin/env node
// Writes the secrets of a Docker deployment (docker-compose.yml) into one file each, in ./secrets/ or
// the folder given: `node deploy/generate-secrets.js [folder]`. A file that exists is kept: the data
// keys and the subject secret must never change under stored data (rotate them as docs/security.md says).
// The folder is private to its owner (0700); the files are readable (0644) because the containers read
// them as their own users through bind mounts.
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { createPrivateKey, createPublicKey } = require('node:crypto');
const { join, resolve } = require('node:path');

const folder = resolve(process.argv[2] ?? 'secrets');
mkdirSync(folder, { recursive: true, mode: 0o700 });
chmodSync(folder, 0o700);

const password = () => randomBytes(24).toString('base64url');
const signingFile = join(folder, 'token-signing-key');
const signingKey = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const verifyKey = () => {
  const der = Buffer.from(readFileSync(signingFile, 'utf8').trim(), 'base64');
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
};

/** In order: the verify key is derived from the signing key written before it. */
const SECRETS = [
  ['token-signing-key', signingKey],
  ['token-verify-key', verifyKey],
  ['subject-key-secret', () => randomBytes(32).toString('base64')],
  ['data-keys', () => `k1:${randomBytes(32).toString('base64')}`],
  ['db-owner-password', password],
  ['db-list-ingestion-password', password],
  ['db-measures-password', password],
  ['db-feedback-password', password],
];

for (const [name, generate] of SECRETS) {
  const file = join(folder, name);
  if (existsSync(file)) {
    console.log(`kept    ${file}`);
    continue;
  }
  writeFileSync(file, `${generate()}\n`, { mode: 0o644 });
  console.log(`created ${file}`);
}
