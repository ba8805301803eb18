namespace Faable.Testing;

/// <summary>A user of the local tenant.</summary>
public sealed class FaableLocalUser
{
    /// <summary>The user id, <c>user_…</c>.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The email; <see langword="null"/> when the connection gave none (e.g. GitHub with a private email).</summary>
    public string? Email { get; set; }

    /// <summary>Whether the email is verified.</summary>
    public bool EmailVerified { get; set; }

    /// <summary>The display name.</summary>
    public string? Name { get; set; }

    /// <summary>The connection the user signs in with, e.g. <c>database</c> or <c>github</c>.</summary>
    /// <value>Defaults to <c>database</c>.</value>
    public string Connection { get; set; } = "database";

    /// <summary><c>app_metadata</c> (string values): data the application owns.</summary>
    public IDictionary<string, string> AppMetadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>user_metadata</c> (string values): data the user may edit.</summary>
    public IDictionary<string, string> UserMetadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
