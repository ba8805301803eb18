namespace Faable.Testing;

/// <summary>
/// The JSON shape of the <c>permissions</c> claim. Faable documents both, so a resource server must accept both.
/// </summary>
public enum FaablePermissionsFormat
{
    /// <summary>A space-separated string, e.g. <c>"read:orders write:orders"</c>.</summary>
    SpaceSeparatedString = 0,

    /// <summary>A JSON array of strings, e.g. <c>["read:orders","write:orders"]</c> (Auth0's shape).</summary>
    JsonArray = 1,
}
