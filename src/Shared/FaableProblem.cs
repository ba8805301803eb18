using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Faable.Shared;

/// <summary>
/// The one RFC 9457 problem shape every Faable package answers with: <c>type</c>, <c>title</c>, <c>status</c>,
/// <c>error</c>, <c>reason</c> and, when there is one, <c>detail</c>, followed by the package's documented extension
/// members. The member names, the <c>type</c> URI and the content type live here only (docs/problems.md lists every
/// type).
/// </summary>
/// <remarks>
/// Compiled into each package that writes problems; the packages do not reference one another, so the shape is shared
/// as source, not as a type.
/// </remarks>
internal static class FaableProblem
{
    /// <summary>The RFC 9457 §3 media type of every problem answer.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// The prefix of every problem <c>type</c>: a URN, compared as a string and never fetched (RFC 9457 §3.1.1 asks
    /// only locators to resolve to documentation); the reason completes it.
    /// </summary>
    public const string TypePrefix = "urn:faable:problem:";

    /// <summary>The problem type URI (RFC 9457 §3.1.1); members are written in the order they are declared here.</summary>
    public const string TypeMember = "type";

    /// <summary>The short, human-readable summary; the same for every occurrence of a type (RFC 9457 §3.1.3).</summary>
    public const string TitleMember = "title";

    /// <summary>The HTTP status code, repeated in the body (RFC 9457 §3.1.2).</summary>
    public const string StatusMember = "status";

    /// <summary>The coarse error code a client branches on (RFC 6750 §3.1 codes for bearer tokens).</summary>
    public const string ErrorMember = "error";

    /// <summary>The stable reason code: the last segment of <c>type</c>, also the metric tag.</summary>
    public const string ReasonMember = "reason";

    /// <summary>The explanation of this occurrence, when there is one (RFC 9457 §3.1.4).</summary>
    public const string DetailMember = "detail";

    private static readonly JsonEncodedText EncodedType = JsonEncodedText.Encode(TypeMember);
    private static readonly JsonEncodedText EncodedTitle = JsonEncodedText.Encode(TitleMember);
    private static readonly JsonEncodedText EncodedStatus = JsonEncodedText.Encode(StatusMember);
    private static readonly JsonEncodedText EncodedError = JsonEncodedText.Encode(ErrorMember);
    private static readonly JsonEncodedText EncodedReason = JsonEncodedText.Encode(ReasonMember);
    private static readonly JsonEncodedText EncodedDetail = JsonEncodedText.Encode(DetailMember);

    /// <summary>The <c>type</c> URI of a reason.</summary>
    /// <exception cref="ArgumentException">The reason is not lowercase letters, digits and underscores.</exception>
    public static string TypeOf(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        foreach (var c in reason)
        {
            // Reasons are also URN segments and metric tags: one spelling, nothing to escape.
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                throw new ArgumentException($"The problem reason '{reason}' must contain only lowercase letters, digits and '_'.", nameof(reason));
            }
        }

        return TypePrefix + reason;
    }

    /// <summary>Writes the problem as a JSON object; <paramref name="extensions"/> adds the package's own members.</summary>
    public static void Write(Utf8JsonWriter writer, int status, string error, string reason, string title, string? detail, Action<Utf8JsonWriter>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(error);
        ArgumentException.ThrowIfNullOrEmpty(title);
        writer.WriteStartObject();
        writer.WriteString(EncodedType, TypeOf(reason));
        writer.WriteString(EncodedTitle, title);
        writer.WriteNumber(EncodedStatus, status);
        writer.WriteString(EncodedError, error);
        writer.WriteString(EncodedReason, reason);
        if (detail is not null)
        {
            writer.WriteString(EncodedDetail, detail);
        }

        extensions?.Invoke(writer);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Answers the request with the problem: status, content type, <c>Cache-Control: no-store</c> (the answer is about
    /// this request only), length and body. Other headers (<c>WWW-Authenticate</c>, <c>Retry-After</c>) are the caller's.
    /// </summary>
    public static Task WriteAsync(HttpContext context, int status, string error, string reason, string title, string? detail = null, Action<Utf8JsonWriter>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, status, error, reason, title, detail, extensions);
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        response.ContentLength = buffer.Length;
        return response.Body.WriteAsync(buffer.GetBuffer(), 0, (int)buffer.Length, context.RequestAborted);
    }
}
