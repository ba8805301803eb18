namespace Faable.Actions.Internal;

/// <summary>Adds the resume <c>state</c> to a redirect URL.</summary>
internal static class RedirectUrls
{
    /// <summary>
    /// Appends <c>state=…</c> to the query, before any fragment. A <c>state</c> parameter the action put in the URL
    /// is removed first, so the page the user lands on sees exactly one <c>state</c>: ours.
    /// </summary>
    public static string AppendState(string url, string state)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(state);
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash >= 0 ? url[hash..] : string.Empty;
        var beforeFragment = hash >= 0 ? url[..hash] : url;
        var question = beforeFragment.IndexOf('?', StringComparison.Ordinal);
        var path = question >= 0 ? beforeFragment[..question] : beforeFragment;
        var query = question >= 0 ? beforeFragment[(question + 1)..] : string.Empty;
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !IsState(p)).ToList();
        parameters.Add("state=" + Uri.EscapeDataString(state));
        return path + "?" + string.Join('&', parameters) + fragment;
    }

    private static bool IsState(string parameter)
    {
        var equals = parameter.IndexOf('=', StringComparison.Ordinal);
        var name = equals >= 0 ? parameter[..equals] : parameter;
        try
        {
            return string.Equals(Uri.UnescapeDataString(name.Replace('+', ' ')), "state", StringComparison.Ordinal);
        }
        catch (UriFormatException)
        {
            return false;
        }
    }
}
