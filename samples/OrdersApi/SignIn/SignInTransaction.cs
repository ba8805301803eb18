namespace OrdersApi.SignIn;

/// <summary>What the callback needs to finish a sign-in it started: the PKCE verifier, the nonce, the browser binding.</summary>
public sealed record SignInTransaction(string CodeVerifier, string Nonce, string BrowserBinding, DateTimeOffset ExpiresAt);
