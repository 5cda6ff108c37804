// A real, certified OpenID Provider (panva/oidc-provider) standing in for the national eID in
// the tests and in `cargo xtask run`. Configuration comes from the environment:
//   CIVIC_IDP_PORT    port on 127.0.0.1 to listen on (0: any free port)
//   CIVIC_IDP_ISSUER  issuer URL (default http://127.0.0.1:<port>)
//   CIVIC_IDP_ACCESS_TTL, CIVIC_IDP_REFRESH_TTL  token lifetimes in seconds
//   CIVIC_IDP_FAULTS=1  enables POST /__faults/next-token, which makes the next token
//                       response misbehave (tests of the app's ID token checks)
// It prints one line `listening <issuer>` once it accepts connections.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';

const port = Number(process.env.CIVIC_IDP_PORT ?? 0);
const accessTtl = Number(process.env.CIVIC_IDP_ACCESS_TTL ?? 600);
const refreshTtl = Number(process.env.CIVIC_IDP_REFRESH_TTL ?? 14 * 24 * 3600);
const faultsEnabled = process.env.CIVIC_IDP_FAULTS === '1';

// Demo citizens: login name -> claims. Citizen IDs are 12-digit CCCD numbers.
const accounts = JSON.parse(readFileSync(new URL('./accounts.json', import.meta.url), 'utf8'));

// A fresh signing key per start: restarting the provider is a key rotation.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(signingJwk, 'RS256');

const server = (await import('node:http')).createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = process.env.CIVIC_IDP_ISSUER ?? `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'civic-app',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // RFC 8252: any port on the loopback address; a private-use scheme for mobile.
    redirect_uris: ['http://127.0.0.1/callback', 'vn.civic.app:/auth/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1/signed-out', 'vn.civic.app:/auth/signed-out'],
  }],
  jwks: { keys: [signingJwk] },
  claims: { openid: ['sub'], profile: ['name'], citizen: ['citizen_id'] },
  scopes: ['openid', 'offline_access', 'profile', 'citizen'],
  findAccount: async (_ctx, id) => {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  ttl: {
    AccessToken: accessTtl,
    AuthorizationCode: 120,
    IdToken: 3600,
    Interaction: 600,
    Grant: refreshTtl,
    RefreshToken: refreshTtl,
    Session: 3600,
  },
  cookies: { keys: [randomUUID()] },
});
provider.proxy = false;

// Faults for the next token response, one at a time: each rewrites the real ID token the way
// an attacker or a broken provider would, re-signing with the provider's own key where the
// point is a wrong claim rather than a wrong signature.
let nextFault = null;
const faults = {
  'bad-signature': async (token) => {
    const [header, payload, signature] = token.split('.');
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    return `${header}.${payload}.${flipped}`;
  },
  'wrong-audience': (token) => resign(token, { aud: 'someone-else' }),
  'wrong-issuer': (token) => resign(token, { iss: 'https://evil.example' }),
  expired: (token) => {
    const now = Math.floor(Date.now() / 1000);
    return resign(token, { iat: now - 7200, exp: now - 3600 });
  },
  'issued-in-future': (token) => {
    const now = Math.floor(Date.now() / 1000);
    return resign(token, { iat: now + 3600, exp: now + 7200 });
  },
  'alg-none': async (token) => {
    const [, payload] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    return `${header}.${payload}.`;
  },
  symmetric: async (token) => {
    const claims = decodeJwt(token);
    // HS256 keyed with the public client id: what an attacker can compute.
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('civic-app-civic-app-civic-app-32'));
  },
};

async function resign(token, changes) {
  const { kid } = decodeProtectedHeader(token);
  const claims = { ...decodeJwt(token), ...changes };
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(signingKey);
}

provider.use(async (ctx, next) => {
  if (faultsEnabled && ctx.method === 'POST' && ctx.path === '/__faults/next-token') {
    const name = new URL(ctx.href).searchParams.get('fault');
    if (!faults[name]) ctx.throw(400, `unknown fault ${name}`);
    nextFault = name;
    ctx.status = 204;
    return;
  }
  await next();
  if (nextFault && ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    const fault = nextFault;
    nextFault = null;
    ctx.body = { ...ctx.body, id_token: await faults[fault](ctx.body.id_token) };
  }
});

server.on('request', provider.callback());
console.log(`listening ${issuer}`);
