namespace AgentHost.Auth;

public enum AuthMode
{
    /// <summary>X-Dev-User header or the UI's user picker, accepted from loopback only.</summary>
    Development,

    /// <summary>Sign-in with an OpenID Connect provider; the development mechanisms are refused.</summary>
    OpenIdConnect,
}
