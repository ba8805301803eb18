using System.Text;
using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore.ProtectedResource.Internal;

/// <summary>
/// Adds RFC 9728 §5.1 <c>resource_metadata</c> to a challenge when the metadata document is mapped: to every 401, and
/// to the 403s a client can cure by asking for more (missing scopes or permissions), so a client can step up from the
/// metadata. A 403 for the wrong kind of caller or a policy refusal gets none: no new token would help.
/// </summary>
internal static class ProtectedResourceChallenge
{
    public static string Append(HttpContext context, AuthError error, string challenge)
    {
        if (!Announces(error) || context.RequestServices.GetService<ProtectedResourceState>() is not { Path: { } path } state)
        {
            return challenge;
        }

        var url = state.MetadataUri?.AbsoluteUri ?? MetadataUrl(context.Request, path);
        var parameter = "resource_metadata=\"" + Quoted(url) + "\"";
        return challenge == "Bearer" ? "Bearer " + parameter : challenge + ", " + parameter;
    }

    private static bool Announces(AuthError error) =>
        error.Status == 401 || ReferenceEquals(error, AuthErrors.InsufficientScope) || ReferenceEquals(error, AuthErrors.InsufficientPermission);

    internal static string MetadataUrl(HttpRequest request, string path) =>
        request.Scheme + "://" + request.Host.ToUriComponent() + request.PathBase.ToUriComponent() + path;

    private static string Quoted(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c is < '!' or > '~' or '"' or '\\' ? '?' : c);
        }

        return text.ToString();
    }
}
