using Faable.Actions.Internal;
using Faable.Actions.Internal.CSharp;

namespace Faable.Actions.Scripting;

/// <summary><c>api.redirect</c> of a C# script action.</summary>
public sealed class ActionRedirectApi
{
    private readonly CSharpRunSession _session;

    internal ActionRedirectApi(CSharpRunSession session)
    {
        _session = session;
    }

    /// <summary>Pauses the login and sends the browser to <paramref name="url"/>; the flow resumes through <c>/continue</c>.</summary>
    /// <param name="url">An absolute <c>https://</c> URL (or <c>http://</c> to loopback in development).</param>
    /// <exception cref="ActionScriptException">The URL is refused (scheme, relative, user information, length, …).</exception>
    public void SendUserTo(string url)
    {
        var limits = _session.Limits;
        var error = RedirectUrlValidator.Validate(url, limits.MaxRedirectUrlLength, limits.AllowHttpLoopbackRedirects);
        if (error is not null)
        {
            throw _session.Fault("Api.Redirect.SendUserTo refused the URL: " + error);
        }

        _session.Record(r => r.RecordRedirect(url));
    }
}
