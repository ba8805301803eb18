using Microsoft.Extensions.Options;

namespace Faable.Testing.Internal;

/// <summary>Start-up validation of <see cref="FaableLocalTenantOptions"/>: every error at once, each naming its key and the fix.</summary>
internal sealed class LocalTenantOptionsValidator(string sectionPath) : IValidateOptions<FaableLocalTenantOptions>
{
    private static readonly string[] KnownGrants = ["authorization_code", "client_credentials"];

    public ValidateOptionsResult Validate(string? name, FaableLocalTenantOptions options)
    {
        var errors = new List<string>();
        var p = sectionPath;
        if (options.Issuer is not null && IssuerRules.Validate(options.Issuer) is { } issuerError)
        {
            errors.Add($"{p}:Issuer: {issuerError}");
        }

        if (string.IsNullOrWhiteSpace(options.AccountId))
        {
            errors.Add($"{p}:AccountId is required, e.g. 'acc_000000000000000000000001'.");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.AuthorizationCodeLifetime <= TimeSpan.Zero || options.LoginLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{p}: AccessTokenLifetime, AuthorizationCodeLifetime and LoginLifetime must be positive.");
        }

        if (options.ResumeStateKey is { } resumeKey && System.Text.Encoding.UTF8.GetByteCount(resumeKey) < 32)
        {
            errors.Add($"{p}:ResumeStateKey must be at least 32 bytes; use e.g. the output of 'openssl rand -base64 48', or remove it for a random key per process.");
        }

        if (options.KeysPath is { } keysPath && string.IsNullOrWhiteSpace(keysPath))
        {
            errors.Add($"{p}:KeysPath is empty; name a folder, e.g. '.faable/keys', or remove it for a new key per process.");
        }

        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            var key = $"{p}:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                errors.Add($"{key}:ClientId is required.");
            }
            else if (options.Clients.Take(i).Any(c => c.ClientId == client.ClientId))
            {
                errors.Add($"{key}:ClientId '{client.ClientId}' is used twice; client ids are unique.");
            }

            if (client.ClientSecret is { Length: 0 })
            {
                errors.Add($"{key}:ClientSecret is empty; remove it for a public client or set a secret.");
            }

            for (var j = 0; j < client.CallbackUrls.Count; j++)
            {
                if (!Uri.TryCreate(client.CallbackUrls[j], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Fragment.Length > 0)
                {
                    errors.Add($"{key}:CallbackUrls:{j} '{client.CallbackUrls[j]}' must be an absolute http(s) URL without fragment.");
                }
            }

            foreach (var grant in client.GrantTypes.Where(g => !KnownGrants.Contains(g, StringComparer.Ordinal)))
            {
                errors.Add($"{key}:GrantTypes: '{grant}' is not supported; use authorization_code or client_credentials.");
            }

            if (client.ClientSecret is null && client.GrantTypes.Contains("client_credentials", StringComparer.Ordinal))
            {
                errors.Add($"{key}:GrantTypes: client_credentials needs a ClientSecret.");
            }
        }

        for (var i = 0; i < options.Apis.Count; i++)
        {
            var api = options.Apis[i];
            var key = $"{p}:Apis:{i}";
            if (string.IsNullOrWhiteSpace(api.Identifier))
            {
                errors.Add($"{key}:Identifier is required, e.g. 'https://orders.example.com'.");
            }
            else if (options.Apis.Take(i).Any(a => a.Identifier == api.Identifier))
            {
                errors.Add($"{key}:Identifier '{api.Identifier}' is used twice; API identifiers are unique.");
            }

            foreach (var scope in api.Scopes)
            {
                if (ScopeSet.Parse(scope) is not [var single] || single != scope || ScopeSet.IsOpenIdScope(scope))
                {
                    errors.Add($"{key}:Scopes: '{scope}' is not a valid API scope; use 'verb:resource' without spaces.");
                }
            }
        }

        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var key = $"{p}:Users:{i}";
            if (string.IsNullOrWhiteSpace(user.UserId))
            {
                errors.Add($"{key}:UserId is required, e.g. 'user_66f1a2b3c4d5e6f7a8b9c0d1'.");
            }
            else if (options.Users.Take(i).Any(u => u.UserId == user.UserId))
            {
                errors.Add($"{key}:UserId '{user.UserId}' is used twice; user ids are unique.");
            }

            if (string.IsNullOrWhiteSpace(user.Connection))
            {
                errors.Add($"{key}:Connection is required, e.g. 'database' or 'github'.");
            }
        }

        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var hook = options.Webhooks[i];
            var key = $"{p}:Webhooks:{i}";
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{key}:Url '{hook.Url}' must be an absolute http(s) URL.");
            }

            if (string.IsNullOrEmpty(hook.Secret))
            {
                errors.Add($"{key}:Secret is required (e.g. 'whsec_…'); deliveries are always signed.");
            }
            else if (hook.Secret.Length < 16 || hook.Secret.Trim().Length != hook.Secret.Length)
            {
                errors.Add($"{key}:Secret must be at least 16 characters with no white space at either end, e.g. 'whsec_' and 24 random characters.");
            }

            foreach (var evt in hook.Events.Where(e => !WebhookSender.KnownEvents.Contains(e, StringComparer.Ordinal)))
            {
                errors.Add($"{key}:Events: '{evt}' is not a Faable event; use {string.Join(", ", WebhookSender.KnownEvents)}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
