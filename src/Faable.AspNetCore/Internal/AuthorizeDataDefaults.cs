namespace Faable.AspNetCore.Internal;

internal static class AuthorizeDataDefaults
{
    public static NotSupportedException Immutable() =>
        new("Faable requirement attributes are immutable; combine them with [Authorize] to add policies, roles or schemes.");
}
