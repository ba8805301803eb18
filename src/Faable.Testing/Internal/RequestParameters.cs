using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Faable.Testing.Internal;

/// <summary>
/// The parameters of a token request, from a form or a JSON body, each present at most once (RFC 6749 §3.2).
/// </summary>
internal sealed class RequestParameters
{
    public const int MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, string> _values;

    private RequestParameters(Dictionary<string, string> values) => _values = values;

    public string? this[string name] => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public bool Has(string name) => _values.ContainsKey(name);

    public static RequestParameters FromQuery(IQueryCollection query, out OAuthError? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        foreach (var (key, value) in query)
        {
            if (value.Count > 1)
            {
                error ??= OAuthError.Request($"The parameter '{key}' is repeated.");
            }

            values[key] = value.ToString();
        }

        return new RequestParameters(values);
    }

    public static async Task<(RequestParameters? Parameters, OAuthError? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, OAuthError.Request($"The request body exceeds {MaxBodyBytes} bytes."));
        }

        var mediaType = request.ContentType is { } ct ? ct.Split(';')[0].Trim() : "";
        var isForm = mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        if (!isForm && !isJson)
        {
            return (null, OAuthError.Request("The body must be application/x-www-form-urlencoded or application/json."));
        }

        var bytes = await ReadLimitedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return (null, OAuthError.Request($"The request body exceeds {MaxBodyBytes} bytes."));
        }

        return isForm ? ParseForm(bytes) : ParseJson(bytes);
    }

    private static (RequestParameters?, OAuthError?) ParseForm(byte[] bytes)
    {
        Dictionary<string, StringValues> parsed;
        try
        {
            parsed = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(bytes));
        }
        catch (ArgumentException)
        {
            return (null, OAuthError.Request("The form body is malformed."));
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parsed)
        {
            if (value.Count > 1)
            {
                return (null, OAuthError.Request($"The parameter '{key}' is repeated."));
            }

            values[key] = value.ToString();
        }

        return (new RequestParameters(values), null);
    }

    private static (RequestParameters?, OAuthError?) ParseJson(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, OAuthError.Request("The JSON body must be an object."));
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return (null, OAuthError.Request($"The parameter '{property.Name}' must be a string."));
                }

                if (!values.TryAdd(property.Name, property.Value.GetString()!))
                {
                    return (null, OAuthError.Request($"The parameter '{property.Name}' is repeated."));
                }
            }

            return (new RequestParameters(values), null);
        }
        catch (JsonException)
        {
            return (null, OAuthError.Request("The JSON body is malformed."));
        }
    }

    /// <summary>Reads a request body of at most <see cref="MaxBodyBytes"/>, whatever its framing (chunked bodies announce no length); <see langword="null"/> past the limit.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
