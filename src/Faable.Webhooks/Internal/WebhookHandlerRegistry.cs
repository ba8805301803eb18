using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Faable.Webhooks.Events;

namespace Faable.Webhooks.Internal;

/// <summary>The handlers registered through the builder, and the event types the library reads.</summary>
internal sealed class WebhookHandlerRegistry
{
    private static readonly Dictionary<string, (Type ClrType, Func<ReadOnlyMemory<byte>, FaableWebhookEvent?> Read)> KnownTypes = new(StringComparer.Ordinal)
    {
        [FaableWebhookEventTypes.UserCreated] = Known(WebhookJsonContext.Default.UserCreated),
        [FaableWebhookEventTypes.UserUpdated] = Known(WebhookJsonContext.Default.UserUpdated),
        [FaableWebhookEventTypes.UserDeleted] = Known(WebhookJsonContext.Default.UserDeleted),
        [FaableWebhookEventTypes.AuthLogin] = Known(WebhookJsonContext.Default.AuthLogin),
    };

    private readonly List<(Type EventType, Func<IServiceProvider, FaableWebhookEvent, CancellationToken, Task> Invoke)> _handlers = [];
    private readonly List<Func<IServiceProvider, FaableWebhookDelivery, CancellationToken, Task>> _fallbacks = [];
    private readonly List<Func<IServiceProvider, FaableWebhookDelivery, CancellationToken, Task>> _observers = [];
    private readonly List<Type> _ignored = [];

    public IReadOnlyList<Func<IServiceProvider, FaableWebhookDelivery, CancellationToken, Task>> Fallbacks => _fallbacks;

    public IReadOnlyList<Func<IServiceProvider, FaableWebhookDelivery, CancellationToken, Task>> Observers => _observers;

    public static bool TryGetKnownType(string eventType, out Type clrType, out Func<ReadOnlyMemory<byte>, FaableWebhookEvent?> read)
    {
        if (KnownTypes.TryGetValue(eventType, out var known))
        {
            (clrType, read) = known;
            return true;
        }

        (clrType, read) = (typeof(void), _ => null);
        return false;
    }

    public void AddHandler(Type eventType, Func<IServiceProvider, FaableWebhookEvent, CancellationToken, Task> invoke) => _handlers.Add((eventType, invoke));

    public void AddFallback(Func<IServiceProvider, FaableWebhookDelivery, CancellationToken, Task> invoke) => _fallbacks.Add(invoke);

    public void AddObserver(Func<IServiceProvider, FaableWebhookDelivery, CancellationToken, Task> invoke) => _observers.Add(invoke);

    public void Ignore(Type eventType) => _ignored.Add(eventType);

    /// <summary>
    /// The handlers of a known event type, in registration order: those registered for the type itself and for any
    /// type it derives from (a handler of <see cref="FaableWebhookEvent"/> receives every known event).
    /// </summary>
    public List<Func<IServiceProvider, FaableWebhookEvent, CancellationToken, Task>> HandlersFor(Type eventType) =>
        [.. _handlers.Where(h => h.EventType.IsAssignableFrom(eventType)).Select(h => h.Invoke)];

    public bool IsIgnored(Type eventType) => _ignored.Exists(t => t.IsAssignableFrom(eventType));

    private static (Type, Func<ReadOnlyMemory<byte>, FaableWebhookEvent?>) Known<T>(JsonTypeInfo<T> typeInfo)
        where T : FaableWebhookEvent =>
        (typeof(T), body => JsonSerializer.Deserialize(body.Span, typeInfo));
}
