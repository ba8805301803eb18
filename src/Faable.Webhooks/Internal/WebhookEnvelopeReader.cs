using System.Text.Json;
using System.Text.Unicode;

namespace Faable.Webhooks.Internal;

/// <summary>
/// Reads the identity of a delivery (<c>id</c>, <c>type</c>) from the top level of its JSON body without
/// materializing the document.
/// </summary>
internal static class WebhookEnvelopeReader
{
    public const int MaxIdLength = 256;
    public const int MaxTypeLength = 128;

    /// <summary>
    /// Reads <c>id</c> and <c>type</c>. With <paramref name="wholeDocument"/> the rest of the body is read too, so a
    /// repeated <c>id</c>/<c>type</c> anywhere at the top level, trailing data or broken JSON is refused; without it,
    /// reading stops once both are known. Never throws: bytes that are not UTF-8 (RFC 8259 §8.1 requires it) are a
    /// malformed body, not an exception.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, bool wholeDocument, out string? id, out string? type)
    {
        id = null;
        type = null;
        if (body.IsEmpty || (wholeDocument && !Utf8.IsValid(body)))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return id is not null && type is not null && (!wholeDocument || !reader.Read());
                }

                var isId = reader.ValueTextEquals("id"u8);
                var isType = !isId && reader.ValueTextEquals("type"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isId || isType)
                {
                    if (reader.TokenType != JsonTokenType.String || (isId ? id : type) is not null)
                    {
                        return false;
                    }

                    var value = reader.GetString();
                    if (!IsAcceptable(value, isId ? MaxIdLength : MaxTypeLength))
                    {
                        return false;
                    }

                    if (isId)
                    {
                        id = value;
                    }
                    else
                    {
                        type = value;
                    }

                    if (!wholeDocument && id is not null && type is not null)
                    {
                        return true;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: GetString refuses a value that is not valid UTF-8 (raw bytes or an escaped
            // lone surrogate); the reader does not check string contents until then.
            id = null;
            type = null;
            return false;
        }
    }

    private static bool IsAcceptable(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
