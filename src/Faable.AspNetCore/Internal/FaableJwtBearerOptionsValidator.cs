using System.Collections;
using System.Reflection;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Refuses, at start-up, JwtBearer settings on Faable's scheme that Faable's validation does not run. The scheme is a
/// JwtBearer scheme, but every token goes through <see cref="FaableTokenValidator"/>'s checklist: an application that
/// sets <c>TokenValidationParameters.ValidTypes</c> or an <c>Authority</c> there would believe it is stricter, or talks
/// to another tenant, than it does. Each message names the Faable setting to use instead.
/// </summary>
/// <remarks>
/// Every public setting of <see cref="JwtBearerOptions"/> and <see cref="TokenValidationParameters"/> is compared with
/// the value Faable leaves there, so a setting added by a later JwtBearer or IdentityModel version is refused until
/// it is known to be honoured. Honoured: <see cref="JwtBearerOptions.Events"/> (Faable's handlers are attached to it),
/// <see cref="JwtBearerOptions.SaveToken"/>, the <c>Forward*</c> settings and <c>TimeProvider</c>, all applied by the
/// authentication handler itself. Other JwtBearer schemes in the application are not looked at.
/// <para>
/// It runs twice, the same check: as a post-configure step registered ahead of JwtBearer's own (which would otherwise
/// derive a configuration manager from an <c>Authority</c>, or throw its own message for an <c>http</c> one), and as
/// the validator, which also sees what later <c>PostConfigure</c> calls set.
/// </para>
/// </remarks>
internal sealed class FaableJwtBearerOptionsValidator(IServiceProvider services) : IValidateOptions<JwtBearerOptions>, IPostConfigureOptions<JwtBearerOptions>
{
    private const string Options = nameof(JwtBearerOptions) + ".";
    private const string Parameters = Options + nameof(JwtBearerOptions.TokenValidationParameters) + ".";

    // Applied by the authentication handler whatever validates the token.
    private static readonly HashSet<string> Honoured = new(StringComparer.Ordinal)
    {
        Options + nameof(JwtBearerOptions.Events),
        Options + nameof(JwtBearerOptions.SaveToken),
        Options + nameof(JwtBearerOptions.TimeProvider),
        Options + nameof(JwtBearerOptions.ForwardDefault),
        Options + nameof(JwtBearerOptions.ForwardDefaultSelector),
        Options + nameof(JwtBearerOptions.ForwardAuthenticate),
        Options + nameof(JwtBearerOptions.ForwardChallenge),
        Options + nameof(JwtBearerOptions.ForwardForbid),
        Options + nameof(JwtBearerOptions.ForwardSignIn),
        Options + nameof(JwtBearerOptions.ForwardSignOut),

        // Checked on their own below, or diagnostics only.
        Options + nameof(JwtBearerOptions.TokenHandlers),
        Options + nameof(JwtBearerOptions.TokenValidationParameters),
        Parameters + nameof(TokenValidationParameters.DebugId),
        Parameters + nameof(TokenValidationParameters.LogTokenId),
        Parameters + nameof(TokenValidationParameters.LogValidationExceptions),
        Parameters + nameof(TokenValidationParameters.PropertyBag),
        Parameters + nameof(TokenValidationParameters.IncludeTokenOnFailedValidation),
    };

    public ValidateOptionsResult Validate(string? name, JwtBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(name, FaableAuthDefaults.AuthenticationScheme, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var section = (services.GetService(typeof(FaableAuthSection)) as FaableAuthSection)?.Path ?? FaableAuthDefaults.ConfigurationSection;
        var errors = Collect(options, section);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        var result = Validate(name, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(name ?? string.Empty, typeof(JwtBearerOptions), result.Failures);
        }
    }

    /// <summary>The settings Faable gives its scheme; the validator's reference point is a fresh instance with these.</summary>
    internal static void ApplyFaableSettings(JwtBearerOptions options)
    {
        // Claim names stay as issued (sub, scope, permissions); the token is not kept unless the application asks;
        // error details follow Faable:IncludeErrorDetails; keys are refetched by the key store, not by JwtBearer.
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.IncludeErrorDetails = false;
        options.RefreshOnIssuerKeyNotFound = false;
        options.UseSecurityTokenValidators = false;
    }

    internal static List<string> Collect(JwtBearerOptions options, string section = FaableAuthDefaults.ConfigurationSection)
    {
        var reference = new JwtBearerOptions();
        ApplyFaableSettings(reference);

        var changed = new List<string>();
        CollectChanged(Options, options, reference, changed);
        CollectChanged(Parameters, options.TokenValidationParameters, reference.TokenValidationParameters, changed);
        if (options.TokenHandlers.Count != 1 || options.TokenHandlers[0] is not FaableTokenHandler)
        {
            changed.Add(Options + nameof(JwtBearerOptions.TokenHandlers));
        }

        // One message per Faable setting to use, naming every JwtBearer setting it replaces.
        return
        [
            .. changed
                .GroupBy(setting => Hint(setting, section), StringComparer.Ordinal)
                .Select(group => $"{string.Join(", ", group)} {(group.Count() == 1 ? "is" : "are")} set on the '{FaableAuthDefaults.AuthenticationScheme}' scheme, " +
                    $"but Faable validates its tokens with its own rules and would ignore {(group.Count() == 1 ? "it" : "them")}: {group.Key}"),
        ];
    }

    private static void CollectChanged(string prefix, object? actual, object? reference, List<string> changed)
    {
        if (actual is null || reference is null)
        {
            if (actual is not null || reference is not null)
            {
                changed.Add(prefix.TrimEnd('.'));
            }

            return;
        }

        foreach (var property in reference.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var setting = prefix + property.Name;
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || Honoured.Contains(setting) ||
                (!property.CanWrite && !typeof(IEnumerable).IsAssignableFrom(property.PropertyType)))
            {
                continue;
            }

            if (!Same(property.GetValue(actual), property.GetValue(reference)))
            {
                changed.Add(setting);
            }
        }
    }

    private static bool Same(object? actual, object? reference)
    {
        if (actual is string || reference is string)
        {
            return string.Equals(actual as string ?? string.Empty, reference as string ?? string.Empty, StringComparison.Ordinal);
        }

        if (actual is IEnumerable || reference is IEnumerable)
        {
            // A null list and an empty one say the same; JwtBearer's default validator list is one fresh handler per instance.
            var left = (actual as IEnumerable)?.Cast<object?>().ToList() ?? [];
            var right = (reference as IEnumerable)?.Cast<object?>().ToList() ?? [];
            return left.Count == right.Count && left.Zip(right).All(p => Equals(p.First, p.Second) || p.First?.GetType() == p.Second?.GetType() && p.First is not null && !p.First.GetType().IsValueType);
        }

        return Equals(actual, reference);
    }

    private static string Hint(string setting, string section)
    {
        var name = setting.StartsWith(Parameters, StringComparison.Ordinal) ? setting[Parameters.Length..] : setting[Options.Length..];
        var tenant = $"the tenant is {section}:Domain; discovery and keys are fetched from it by the '{FaableAuthDefaults.BackchannelHttpClientName}' HttpClient " +
            $"(configure it with AddHttpClient), or served in process by FaableAuthOptions.BackchannelHttpHandler.";
        var keys = $"signing keys are the tenant's JWKS (from {section}:Domain), one chosen by the token's kid, RS256 only; " +
            $"serve keys in process with FaableAuthOptions.BackchannelHttpHandler.";
        var ownRule = "add the rule in JwtBearerOptions.Events.OnTokenValidated (context.Fail(...) refuses the token with a 401).";
        return name switch
        {
            nameof(JwtBearerOptions.Authority) or nameof(JwtBearerOptions.MetadataAddress) or nameof(JwtBearerOptions.Configuration) or
                nameof(JwtBearerOptions.ConfigurationManager) or nameof(JwtBearerOptions.Backchannel) or
                nameof(JwtBearerOptions.BackchannelHttpHandler) => tenant,
            nameof(JwtBearerOptions.RequireHttpsMetadata) => $"use {section}:RequireHttpsMetadata.",
            nameof(JwtBearerOptions.BackchannelTimeout) => $"use {section}:JwksFetchTimeout.",
            nameof(JwtBearerOptions.AutomaticRefreshInterval) => $"use {section}:JwksRefreshInterval.",
            nameof(JwtBearerOptions.RefreshInterval) or nameof(JwtBearerOptions.RefreshOnIssuerKeyNotFound) =>
                $"keys are refetched on an unknown kid at most once per {section}:JwksRefreshCooldown; use that setting.",
            nameof(JwtBearerOptions.IncludeErrorDetails) => $"use {section}:IncludeErrorDetails.",
            nameof(JwtBearerOptions.Audience) or nameof(TokenValidationParameters.ValidAudience) or nameof(TokenValidationParameters.ValidAudiences) or
                nameof(TokenValidationParameters.AudienceValidator) or nameof(TokenValidationParameters.ValidateAudience) or
                nameof(TokenValidationParameters.RequireAudience) or nameof(TokenValidationParameters.IgnoreTrailingSlashWhenValidatingAudience) =>
                $"aud is always checked, exactly, against {section}:Audience and {section}:Audiences; use those.",
            nameof(TokenValidationParameters.ValidIssuer) or nameof(TokenValidationParameters.ValidIssuers) or
                nameof(TokenValidationParameters.IssuerValidator) or nameof(TokenValidationParameters.IssuerValidatorUsingConfiguration) or
                nameof(TokenValidationParameters.ValidateIssuer) =>
                $"iss is always checked, exactly, against the tenant URL derived from {section}:Domain; use that setting (one tenant per scheme).",
            nameof(TokenValidationParameters.ValidAlgorithms) or nameof(TokenValidationParameters.AlgorithmValidator) =>
                "only RS256 is accepted (the platform's one signing algorithm); no setting widens or narrows it.",
            nameof(TokenValidationParameters.ClockSkew) or nameof(TokenValidationParameters.LifetimeValidator) or
                nameof(TokenValidationParameters.ValidateLifetime) or nameof(TokenValidationParameters.RequireExpirationTime) =>
                $"exp is always required and checked; use {section}:ClockSkew for the tolerance.",
            nameof(TokenValidationParameters.ValidTypes) or nameof(TokenValidationParameters.TypeValidator) =>
                "the typ header is not checked (an ID token sent as an access token is refused by its claims, reason id_token_sent); " + ownRule,
            nameof(TokenValidationParameters.NameClaimType) or nameof(TokenValidationParameters.RoleClaimType) or
                nameof(TokenValidationParameters.NameClaimTypeRetriever) or nameof(TokenValidationParameters.RoleClaimTypeRetriever) or
                nameof(TokenValidationParameters.AuthenticationType) or nameof(JwtBearerOptions.MapInboundClaims) or nameof(JwtBearerOptions.ClaimsIssuer) =>
                "the identity keeps the claims as issued (name claim 'sub', role claim 'roles', issuer the token's iss); " +
                "reshape it in JwtBearerOptions.Events.OnTokenValidated (context.Principal).",
            nameof(TokenValidationParameters.TokenDecryptionKey) or nameof(TokenValidationParameters.TokenDecryptionKeys) or
                nameof(TokenValidationParameters.TokenDecryptionKeyResolver) =>
                "Faable access tokens are signed, never encrypted; an encrypted token is refused.",
            nameof(JwtBearerOptions.TokenHandlers) or "SecurityTokenValidators" or nameof(JwtBearerOptions.UseSecurityTokenValidators) or
                nameof(JwtBearerOptions.Challenge) or nameof(JwtBearerOptions.EventsType) =>
                "Faable's token handler and event handlers must stay in place (they validate, and answer 401, 403 or 503 with Retry-After); " +
                "to add to them, set handlers on JwtBearerOptions.Events (an instance, not EventsType), e.g. OnTokenValidated.",
            _ when name.Contains("Key", StringComparison.Ordinal) || name.Contains("Signature", StringComparison.Ordinal) ||
                name is nameof(TokenValidationParameters.RequireSignedTokens) or nameof(TokenValidationParameters.CryptoProviderFactory) or
                    nameof(TokenValidationParameters.ConfigurationManager) or nameof(TokenValidationParameters.ValidateWithLKG) or
                    nameof(TokenValidationParameters.RefreshBeforeValidation) => keys,
            _ => ownRule,
        };
    }
}
