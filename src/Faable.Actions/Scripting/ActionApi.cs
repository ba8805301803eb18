namespace Faable.Actions.Scripting;

/// <summary>The <c>api</c> object of a C# script action.</summary>
public sealed class ActionApi
{
    internal ActionApi(ActionAccessApi access, ActionRedirectApi redirect)
    {
        Access = access;
        Redirect = redirect;
    }

    /// <summary><c>api.access</c>: deny or flag the login.</summary>
    public ActionAccessApi Access { get; }

    /// <summary><c>api.redirect</c>: send the browser to a page and resume through <c>/continue</c>.</summary>
    public ActionRedirectApi Redirect { get; }
}
