// A certified OpenID Provider (panva/oidc-provider) on loopback for AgentHost's sign-in tests.
// One confidential client (code flow with PKCE, RP-initiated logout), static accounts shaped like the
// test directory (src/AgentHost/directory.yaml), and the library's development login page.
// Listens on 127.0.0.1 only: plain http is acceptable for a test provider on loopback and nowhere else.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT ?? '15510');
const clientBase = process.env.OIDC_CLIENT_BASE ?? 'http://127.0.0.1:15511';
const issuer = `http://127.0.0.1:${port}`;

// login name -> claims. The e-mail spellings differ from the directory's on purpose (case), one
// account has only preferred_username, one an unverified address of the admin, one is unknown.
const accounts = {
  alice: { email: 'Alice@Example.COM', email_verified: true, name: 'Alice Adams', preferred_username: 'alice' },
  bob: { email: 'bob@example.com', email_verified: true, name: 'Bob Baker', preferred_username: 'bob' },
  sam: { email: 'sam@example.com', email_verified: true, name: 'Sam Silva', preferred_username: 'sam' },
  dave: { name: 'Dave Diaz', preferred_username: 'dave@example.com' },
  eve: { email: 'root@example.com', email_verified: false, name: 'Eve', preferred_username: 'eve' },
  mallory: { email: 'mallory@example.com', email_verified: true, name: 'Mallory', preferred_username: 'mallory' },
};

const page = (title, body) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'agenthost',
    client_secret: 'agenthost-oidc-test-secret',
    redirect_uris: [`${clientBase}/signin-oidc`],
    post_logout_redirect_uris: [`${clientBase}/signout-callback-oidc`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) {
      return undefined;
    }

    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
  cookies: { keys: ['agenthost-oidc-test-cookie-key'] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The library's own pages load a web font from the internet; these load nothing.
      async logoutSource(ctx, form) {
        ctx.body = page('Logout Request', `<h1>Sign out of the test provider?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '<h1>Signed out of the test provider</h1>');
      },
    },
  },
  pkce: { required: () => true },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<h1>${out.error}</h1><p>${String(out.error_description ?? '').replace(/[<>&"]/g, '')}</p>`);
  },
});

const server = provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider on ${issuer}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
