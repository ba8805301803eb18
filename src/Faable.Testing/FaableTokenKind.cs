namespace Faable.Testing;

/// <summary>The kinds of token a <see cref="FaableTokenBuilder"/> makes.</summary>
public enum FaableTokenKind
{
    /// <summary>An access token issued to a user login (<c>sub</c> = <c>user_…</c>).</summary>
    UserAccessToken = 0,

    /// <summary>An access token from the client credentials grant (<c>sub</c> = <c>client_id</c>).</summary>
    MachineAccessToken = 1,

    /// <summary>An OpenID Connect ID token (<c>aud</c> = the client id).</summary>
    IdToken = 2,
}
