using System.Text.Json;
using Faable.Webhooks.Events;

namespace Faable.Webhooks.Internal;

/// <summary>Reads a known event's body as its typed event; a payload that cannot be read is a value, not an exception.</summary>
internal static class WebhookEventReader
{
    public static FaableWebhookEvent? TryRead(Func<ReadOnlyMemory<byte>, FaableWebhookEvent?> read, ReadOnlyMemory<byte> body, out Exception? error)
    {
        try
        {
            error = null;
            return read(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // JsonException for a payload of the wrong shape; InvalidOperationException for text that is not UTF-8
            // (the endpoint refuses such bodies, but a record could predate that check).
            error = ex;
            return null;
        }
    }
}
