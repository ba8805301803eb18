using Microsoft.AspNetCore.Authorization;

namespace Faable.Shared;

/// <summary>
/// Endpoint metadata of an endpoint that authenticates every request itself, by a signature over the request (Faable's
/// webhook deliveries): anonymous to ASP.NET Core's authorization, so an application's fallback policy does not answer
/// the sender with 401, and described as a signature, not as an open endpoint, by the endpoint authorization report.
/// </summary>
/// <remarks>
/// Compiled into the package that maps such an endpoint and into the one that reports on endpoints; neither references
/// the other, so the report recognises this type by its full name through <see cref="TryDescribe"/>, the one place that
/// rule lives.
/// </remarks>
internal sealed class SignatureAuthenticatedEndpointMetadata : IAllowAnonymous
{
    /// <summary>The word the report uses for such an endpoint.</summary>
    public const string Label = "signature";

    public SignatureAuthenticatedEndpointMetadata(string header)
    {
        ArgumentException.ThrowIfNullOrEmpty(header);
        Header = header;
    }

    /// <summary>Gets the request header that carries the signature.</summary>
    public string Header { get; }

    /// <summary>Describes an item of endpoint metadata if it is this type (from any assembly that compiled it).</summary>
    public static bool TryDescribe(object metadata, out string description)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (string.Equals(metadata.GetType().FullName, typeof(SignatureAuthenticatedEndpointMetadata).FullName, StringComparison.Ordinal) && metadata is IAllowAnonymous)
        {
            description = metadata.ToString() ?? Label;
            return true;
        }

        description = string.Empty;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Label} ({Header}, verified by the endpoint)";
}
